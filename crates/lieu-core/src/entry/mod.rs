//! Entries of the directory: services, associations, job offers, housing offers and events.
//!
//! A form arrives as an [`EntryForm`] (strings, as typed); [`EntryForm::validate`] checks it
//! against the territory and returns a [`ValidEntry`]: the columns the site filters and sorts on,
//! the tags of its multi-valued filters, and the kind-specific [`Details`] stored as JSON.
//!
//! The model lives in `model`, validation of the form in `form`, time helpers in `time`, and
//! the rules of the public lists, embeds and agenda in `list`.

mod form;
pub mod list;
mod model;
mod time;

pub use form::*;
pub use model::*;
pub use time::*;

/// Values of the data·inclusion lists by position, for generators and tests.
pub mod vocab_sample {
    use crate::vocab;

    pub fn theme(i: usize) -> &'static str {
        let list = vocab::thematiques();
        list.get(i % list.len().max(1))
            .map_or("", |t| t.value.as_str())
    }

    pub fn public(i: usize) -> &'static str {
        let list = vocab::publics();
        list.get(i % list.len().max(1))
            .map_or("", |t| t.value.as_str())
    }
}

#[cfg(test)]
mod tests;
