//! The database schema, shared by both backends (see `schema/migrations/{sqlite,postgres}`).
//! Booleans are INTEGER 0/1: the multi-backend connection only carries portable types.

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        disabled -> Integer,
        created_at -> Timestamp,
        /// When a practice account stops working (the end of its workshop's day).
        expires_at -> Nullable<Timestamp>,
        /// When the account's owner deleted it: the row stays, under a neutral name.
        deleted_at -> Nullable<Timestamp>,
        /// The @name others mention in the exchange space.
        handle -> Nullable<Text>,
        email_confirmed_at -> Nullable<Timestamp>,
        approved_posts -> Integer,
        suspended_until -> Nullable<Timestamp>,
        suspension_reason -> Text,
        organisation_id -> Nullable<Integer>,
        notify_mail -> Text,
        last_digest_at -> Nullable<Timestamp>,
        mail_key -> Text,
    }
}

diesel::table! {
    sessions (token_digest) {
        token_digest -> Text,
        user_id -> Integer,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    pages (id) {
        id -> Integer,
        slug -> Text,
        title -> Text,
        body -> Text,
        html -> Text,
        toc_json -> Text,
        plain_text -> Text,
        revision_number -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        /// `lieu_core::collation::title_sort_key(title)`: lists order by it.
        title_sort -> Text,
        /// `lieu_markdown::RENDERER_VERSION` of the stored `html`.
        renderer_version -> Integer,
        /// The language of the text (`fr`, `en`).
        lang -> Text,
    }
}

diesel::table! {
    revisions (id) {
        id -> Integer,
        page_id -> Integer,
        number -> Integer,
        title -> Text,
        body -> Text,
        summary -> Text,
        author_id -> Nullable<Integer>,
        author_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    page_links (from_page_id, to_slug) {
        from_page_id -> Integer,
        to_slug -> Text,
    }
}

diesel::table! {
    page_aliases (slug) {
        slug -> Text,
        page_id -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    content_imports (path) {
        path -> Text,
        page_id -> Integer,
        digest -> Text,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        at -> Timestamp,
        actor_id -> Nullable<Integer>,
        action -> Text,
        target -> Text,
        detail -> Text,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(revisions -> pages (page_id));
diesel::joinable!(page_links -> pages (from_page_id));
diesel::joinable!(page_aliases -> pages (page_id));
diesel::joinable!(content_imports -> pages (page_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    pages,
    revisions,
    page_links,
    page_aliases,
    content_imports,
    audit_log,
);

diesel::table! {
    communes (insee) {
        insee -> Text,
        name -> Text,
        postcode -> Text,
    }
}

diesel::table! {
    categories (id) {
        id -> Integer,
        kind -> Text,
        slug -> Text,
        label -> Text,
    }
}

diesel::table! {
    entries (id) {
        id -> Integer,
        kind -> Text,
        status -> Text,
        slug -> Text,
        title -> Text,
        summary -> Text,
        commune_insee -> Text,
        starts_at -> Nullable<Timestamp>,
        ends_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
        amount_eur -> Nullable<Integer>,
        details_json -> Text,
        revision_number -> Integer,
        verified_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        subtype -> Nullable<Text>,
        /// `lieu_core::collation::title_sort_key(title)`: lists order by it.
        title_sort -> Text,
        /// Imported entries: the producer, its identifier of the record, when it changed it.
        source -> Nullable<Text>,
        source_id -> Nullable<Text>,
        source_updated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    entry_tags (entry_id, facet, value) {
        entry_id -> Integer,
        facet -> Text,
        value -> Text,
    }
}

diesel::table! {
    entry_revisions (id) {
        id -> Integer,
        entry_id -> Integer,
        number -> Integer,
        snapshot_json -> Text,
        summary -> Text,
        author_id -> Nullable<Integer>,
        author_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    entry_occurrences (entry_id, starts_at) {
        entry_id -> Integer,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
    }
}

diesel::joinable!(entries -> communes (commune_insee));
diesel::joinable!(entry_occurrences -> entries (entry_id));
diesel::joinable!(entry_tags -> entries (entry_id));
diesel::joinable!(entry_revisions -> entries (entry_id));

diesel::allow_tables_to_appear_in_same_query!(
    communes,
    categories,
    entries,
    entry_tags,
    entry_revisions,
    entry_occurrences,
);

diesel::table! {
    /// Changes the search index has to apply (see `lieu_store::search`).
    index_outbox (id) {
        id -> Integer,
        source -> Text,
        source_id -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    synonyms (id) {
        id -> Integer,
        terms -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    search_misses (query, day) {
        query -> Text,
        day -> Text,
        hits -> Integer,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> Integer,
        template -> Text,
        to_address -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        unsubscribe_url -> Text,
    }
}

diesel::table! {
    submissions (id) {
        id -> Integer,
        kind -> Text,
        target_entry_id -> Nullable<Integer>,
        fields_json -> Text,
        title -> Text,
        commune_insee -> Text,
        sender_name -> Text,
        sender_organisation -> Text,
        sender_email -> Text,
        sender_phone -> Text,
        consent_at -> Timestamp,
        status -> Text,
        token_digest -> Text,
        version -> Integer,
        decision_message -> Text,
        reject_reason -> Nullable<Text>,
        decided_by -> Nullable<Integer>,
        decided_at -> Nullable<Timestamp>,
        entry_id -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        sender_erased_at -> Nullable<Timestamp>,
        /// When the sender of an approved submission was last asked whether their entry is
        /// still right.
        reminded_at -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(submissions, entries);

diesel::table! {
    account_tokens (token_digest) {
        token_digest -> Text,
        user_id -> Integer,
        purpose -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    watches (user_id, target_kind, target_id) {
        user_id -> Integer,
        target_kind -> Text,
        target_id -> Integer,
        created_at -> Timestamp,
        seen_until -> Timestamp,
        last_mail_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    workshops (id) {
        id -> Integer,
        title -> Text,
        day -> Date,
        participants -> Integer,
        trainer_id -> Nullable<Integer>,
        plan_json -> Text,
        ends_at -> Timestamp,
        created_at -> Timestamp,
        reset_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    workshop_seats (workshop_id, number) {
        workshop_id -> Integer,
        number -> Integer,
        user_id -> Integer,
        card_password -> Text,
    }
}

diesel::table! {
    practice_pages (id) {
        id -> Integer,
        workshop_id -> Integer,
        slug -> Text,
        title -> Text,
        body -> Text,
        html -> Text,
        revision_number -> Integer,
        updated_by -> Nullable<Integer>,
        updated_by_name -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    practice_submissions (id) {
        id -> Integer,
        workshop_id -> Integer,
        kind -> Text,
        fields_json -> Text,
        title -> Text,
        sender_name -> Text,
        sender_email -> Text,
        status -> Text,
        version -> Integer,
        decision_message -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    practice_mail (id) {
        id -> Integer,
        workshop_id -> Integer,
        to_address -> Text,
        subject -> Text,
        text_body -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(account_tokens -> users (user_id));
diesel::joinable!(watches -> users (user_id));
diesel::joinable!(workshop_seats -> workshops (workshop_id));
diesel::joinable!(workshop_seats -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    users,
    account_tokens,
    watches,
    workshops,
    workshop_seats,
    practice_pages,
    practice_submissions,
    practice_mail,
);
diesel::allow_tables_to_appear_in_same_query!(watches, pages);
diesel::allow_tables_to_appear_in_same_query!(watches, revisions);
diesel::allow_tables_to_appear_in_same_query!(watches, entries);
diesel::allow_tables_to_appear_in_same_query!(watches, entry_revisions);
diesel::allow_tables_to_appear_in_same_query!(entry_revisions, users);
diesel::allow_tables_to_appear_in_same_query!(entries, users);

diesel::table! {
    exchange_settings (id) {
        id -> Integer,
        held_posts -> Integer,
        edit_minutes -> Integer,
        report_threshold -> Integer,
        new_member_posts_per_hour -> Integer,
        updated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    exchange_categories (id) {
        id -> Integer,
        slug -> Text,
        name -> Text,
        description -> Text,
        position -> Integer,
        thread_count -> Integer,
        post_count -> Integer,
        last_post_at -> Nullable<Timestamp>,
        archived -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    exchange_threads (id) {
        id -> Integer,
        subject_kind -> Text,
        subject_id -> Integer,
        title -> Text,
        kind -> Text,
        state -> Text,
        locked -> Integer,
        pinned -> Integer,
        author_id -> Nullable<Integer>,
        author_name -> Text,
        first_post_id -> Nullable<Integer>,
        answer_post_id -> Nullable<Integer>,
        reply_count -> Integer,
        last_post_at -> Timestamp,
        last_poster_name -> Text,
        wiki_page_id -> Nullable<Integer>,
        version -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    exchange_posts (id) {
        id -> Integer,
        thread_id -> Integer,
        author_id -> Nullable<Integer>,
        author_name -> Text,
        body -> Text,
        html -> Text,
        plain_text -> Text,
        quote_post_id -> Nullable<Integer>,
        state -> Text,
        hidden_reason -> Text,
        open_reports -> Integer,
        version -> Integer,
        created_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    exchange_post_revisions (id) {
        id -> Integer,
        post_id -> Integer,
        version -> Integer,
        body -> Text,
        edited_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    exchange_reports (id) {
        id -> Integer,
        post_id -> Integer,
        reporter_id -> Nullable<Integer>,
        reason -> Text,
        detail -> Text,
        created_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<Integer>,
        decision -> Text,
    }
}

diesel::table! {
    exchange_subscriptions (user_id, target_kind, target_id) {
        user_id -> Integer,
        target_kind -> Text,
        target_id -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> Integer,
        user_id -> Integer,
        kind -> Text,
        thread_id -> Nullable<Integer>,
        post_id -> Nullable<Integer>,
        actor_name -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
        mailed_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(exchange_posts -> exchange_threads (thread_id));
diesel::joinable!(exchange_post_revisions -> exchange_posts (post_id));
diesel::joinable!(exchange_reports -> exchange_posts (post_id));
diesel::joinable!(exchange_subscriptions -> users (user_id));
diesel::joinable!(notifications -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    users,
    exchange_settings,
    exchange_categories,
    exchange_threads,
    exchange_posts,
    exchange_post_revisions,
    exchange_reports,
    exchange_subscriptions,
    notifications,
);
diesel::allow_tables_to_appear_in_same_query!(exchange_threads, pages);
diesel::allow_tables_to_appear_in_same_query!(exchange_threads, entries);
diesel::allow_tables_to_appear_in_same_query!(exchange_posts, pages);
diesel::allow_tables_to_appear_in_same_query!(exchange_posts, entries);
diesel::allow_tables_to_appear_in_same_query!(notifications, pages);
diesel::allow_tables_to_appear_in_same_query!(notifications, entries);
