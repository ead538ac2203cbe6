//! Newtype ids, so that a page id can never be passed where a user id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i32);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// Id of a wiki page.
    PageId
);
id_type!(
    /// Id of one revision of a wiki page.
    RevisionId
);
id_type!(
    /// Id of a user account.
    UserId
);
id_type!(
    /// Id of a workshop.
    WorkshopId
);
id_type!(
    /// Id of a page of a workshop's sandbox.
    PracticePageId
);
id_type!(
    /// Id of a submission of a workshop's practice referencing form.
    PracticeSubmissionId
);
id_type!(
    /// Id of a message of a workshop's practice mailbox.
    PracticeMailId
);
id_type!(
    /// Id of a category of the exchange space.
    CategoryId
);
id_type!(
    /// Id of a thread of the exchange space.
    ThreadId
);
id_type!(
    /// Id of a post of the exchange space.
    PostId
);
id_type!(
    /// Id of a notification.
    NotificationId
);
