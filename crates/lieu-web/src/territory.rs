//! The territory's communes and the directory's categories, kept in memory: every list page,
//! the results page and each entry page shows them, and they change only when the territory
//! file is imported (`lieu import`), most often by another process than the server's. What is
//! kept is therefore trusted for [`FRESH_FOR`] only, then read again: one query per period
//! instead of two per view, and an import shows here at most that long after.
//!
//! [`FRESH_FOR`]: crate::page_cache::FRESH_FOR

use lieu_core::entry::Kind;
use lieu_store::models::communes::{self, Category, Commune};
use lieu_store::{DbConn, StoreError};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// The communes, by name, and the categories of each kind, by label.
#[derive(Debug, Default)]
pub struct Territory {
    pub communes: Vec<Commune>,
    categories: Vec<(Kind, Vec<Category>)>,
}

impl Territory {
    /// Reads the territory from the database.
    pub fn load(c: &mut DbConn) -> Result<Territory, StoreError> {
        let mut categories = Vec::with_capacity(Kind::ALL.len());
        for kind in Kind::ALL {
            categories.push((kind, communes::categories_of(c, kind)?));
        }
        Ok(Territory {
            communes: communes::all(c)?,
            categories,
        })
    }

    pub fn categories(&self, kind: Kind) -> &[Category] {
        self.categories
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&[], |(_, c)| c.as_slice())
    }

    pub fn commune(&self, insee: &str) -> Option<&Commune> {
        self.communes.iter().find(|c| c.insee == insee)
    }
}

/// The territory as last read, and when.
pub struct TerritoryCache {
    kept: RwLock<Option<(Arc<Territory>, Instant)>>,
    fresh_for: Duration,
}

impl Default for TerritoryCache {
    fn default() -> Self {
        TerritoryCache::new(crate::page_cache::FRESH_FOR)
    }
}

impl TerritoryCache {
    pub fn new(fresh_for: Duration) -> TerritoryCache {
        TerritoryCache {
            kept: RwLock::new(None),
            fresh_for,
        }
    }

    /// The territory, if it was read less than `fresh_for` ago.
    pub fn get(&self) -> Option<Arc<Territory>> {
        let kept = self.kept.read().unwrap_or_else(PoisonError::into_inner);
        let (territory, loaded) = kept.as_ref()?;
        (loaded.elapsed() < self.fresh_for).then(|| Arc::clone(territory))
    }

    /// Keeps a territory just read.
    pub fn put(&self, territory: Arc<Territory>) {
        *self.kept.write().unwrap_or_else(PoisonError::into_inner) =
            Some((territory, Instant::now()));
    }
}
