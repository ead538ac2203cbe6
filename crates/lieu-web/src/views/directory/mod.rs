//! Views of the directory, by what a reader looks for: the home and the lists (`lists`), an
//! entry's page (`entry`) and its structured data (`json_ld`), the agents' form (`form`) and
//! pages (`manage`), and what they share (`format`).

mod entry;
mod form;
mod format;
mod json_ld;
mod lists;
mod manage;
mod paper;

pub use entry::{EntryView, archived, entry_page};
pub use form::{FormView, choose_kind, entry_fields, entry_form};
pub use format::{
    date_text, entry_path, entry_url, kind_label, kind_plural, list_url, moment_text, month_text,
    tel_href,
};
pub use json_ld::structured_data;
pub use lists::{EmbeddedList, ListView, ShownList, embedded_list, home, list};
pub use manage::{changed_meanwhile, history, to_verify};
pub use paper::{PAPER_PATH, PaperEntry, PaperView, WHOLE_TERRITORY, paper_url};
pub use paper::{choose as paper_choose, document as paper_document};
