//! Validation errors. Each error names the form field and carries a stable snake_case code;
//! the web layer turns the code into a sentence in the reader's language.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

/// All that is wrong with one submitted form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Invalid {
    pub errors: Vec<FieldError>,
}

impl Invalid {
    pub fn add(&mut self, field: &'static str, code: &'static str) {
        self.errors.push(FieldError { field, code });
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The first error on `field`, if any.
    pub fn on(&self, field: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }

    /// `Ok(value)` if nothing was added, `Err(self)` otherwise.
    pub fn into_result<T>(self, value: T) -> Result<T, Invalid> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    pub fn single(field: &'static str, code: &'static str) -> Self {
        let mut invalid = Invalid::default();
        invalid.add(field, code);
        invalid
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}: {}", e.field, e.code)?;
        }
        Ok(())
    }
}

impl std::error::Error for Invalid {}
