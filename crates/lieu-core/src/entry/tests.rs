use super::*;
use chrono::NaiveDate;

fn rules<'a>(communes: &'a [String], categories: &'a [String]) -> Rules<'a> {
    Rules {
        communes,
        categories,
        today: NaiveDate::from_ymd_opt(2026, 11, 22).expect("date"),
    }
}

fn base(title: &str) -> EntryForm {
    EntryForm {
        title: title.into(),
        commune: "79250".into(),
        summary: "Une phrase qui dit ce que c’est.".into(),
        ..EntryForm::default()
    }
}

fn communes() -> Vec<String> {
    vec!["79250".into()]
}

#[test]
fn a_service_keeps_its_themes_as_tags_and_its_hours_are_checked() {
    let mut f = base("Permanence CAF");
    f.themes = vec!["logement-hebergement--louer-un-logement".into()];
    f.publics = vec!["familles".into()];
    f.fees = "gratuit".into();
    f.opening_hours = "Tu 09:00-12:00".into();
    f.phone = "01.99.00.12.34".into();
    let categories = vec!["partenaire".to_owned()];
    f.categories = vec!["partenaire".into()];
    let v = f
        .validate(Kind::Service, &rules(&communes(), &categories))
        .expect("valid");
    assert_eq!(v.slug, "permanence-caf");
    assert!(
        v.tags
            .contains(&("theme_group", "logement-hebergement".into()))
    );
    assert!(v.tags.contains(&("public", "familles".into())));
    assert!(v.tags.contains(&("category", "partenaire".into())));
    assert_eq!(v.details.contact().phone.as_deref(), Some("01 99 00 12 34"));

    f.opening_hours = "le mardi matin".into();
    let e = f
        .validate(Kind::Service, &rules(&communes(), &categories))
        .expect_err("bad hours");
    assert_eq!(
        e.on("opening_hours").map(|x| x.code),
        Some("opening_hours_invalid")
    );
}

#[test]
fn every_problem_of_a_form_is_reported_at_once() {
    let f = EntryForm {
        commune: "00000".into(),
        phone: "123".into(),
        email: "pas-un-mail".into(),
        website: "www.sans-schema.fr".into(),
        themes: vec!["inventee".into()],
        ..EntryForm::default()
    };
    let e = f
        .validate(Kind::Service, &rules(&communes(), &[]))
        .expect_err("invalid");
    for (field, code) in [
        ("title", "entry_title_required"),
        ("summary", "summary_required"),
        ("commune", "commune_unknown"),
        ("phone", "phone_invalid"),
        ("email", "email_invalid"),
        ("website", "website_invalid"),
        ("themes", "value_unknown"),
    ] {
        assert_eq!(e.on(field).map(|x| x.code), Some(code), "{field}");
    }
}

#[test]
fn a_job_needs_a_contract_and_expires_at_the_end_of_its_day_in_paris() {
    let mut f = base("Agent d’entretien");
    f.employer = "Mairie".into();
    f.how_to_apply = "CV par courriel".into();
    f.contract = "cdd".into();
    f.expires_on = "2026-12-31".into();
    let v = f
        .validate(Kind::Job, &rules(&communes(), &[]))
        .expect("valid");
    // Midnight in Paris on 1 January (winter, UTC+1) is 23:00 UTC on 31 December.
    assert_eq!(
        v.expires_at,
        NaiveDate::from_ymd_opt(2026, 12, 31).and_then(|d| d.and_hms_opt(23, 0, 0))
    );
    assert_eq!(v.subtype.as_deref(), Some("cdd"));
    f.contract = "stage-non-paye".into();
    f.expires_on = "2025-01-01".into();
    let e = f
        .validate(Kind::Job, &rules(&communes(), &[]))
        .expect_err("invalid");
    assert_eq!(e.on("contract").map(|x| x.code), Some("value_unknown"));
    assert_eq!(
        e.on("expires_on").map(|x| x.code),
        Some("expires_in_the_past")
    );
}

#[test]
fn housing_keeps_rent_with_charges_for_the_maximum_rent_filter() {
    let mut f = base("T2 au centre-bourg");
    f.housing_type = "appartement".into();
    f.rent = "450 €".into();
    f.charges = "30".into();
    f.expires_on = "2027-01-15".into();
    let v = f
        .validate(Kind::Housing, &rules(&communes(), &[]))
        .expect("valid");
    assert_eq!(v.amount_eur, Some(480));
    f.rent = "beaucoup".into();
    let e = f
        .validate(Kind::Housing, &rules(&communes(), &[]))
        .expect_err("invalid");
    assert_eq!(e.on("rent").map(|x| x.code), Some("amount_invalid"));
}

#[test]
fn huge_rents_and_charges_are_refused_without_overflowing() {
    let mut f = base("T2 au centre-bourg");
    f.housing_type = "appartement".into();
    f.expires_on = "2027-01-15".into();
    for (rent, charges) in [("4294967295", "1"), ("2147483648", "2147483648")] {
        f.rent = rent.into();
        f.charges = charges.into();
        let e = f
            .validate(Kind::Housing, &rules(&communes(), &[]))
            .expect_err("invalid");
        assert_eq!(e.on("rent").map(|x| x.code), Some("amount_invalid"));
    }
}

#[test]
fn a_weekly_event_spans_to_its_last_occurrence_in_utc() {
    let mut f = base("Atelier tricot");
    f.starts_at = "2026-12-01T14:00".into();
    f.ends_at = "2026-12-01T16:00".into();
    f.weekly_until = "2026-12-22".into();
    let v = f
        .validate(Kind::Event, &rules(&communes(), &[]))
        .expect("valid");
    let Details::Event(d) = &v.details else {
        panic!("event")
    };
    assert_eq!(d.occurrences().len(), 4);
    assert_eq!(
        v.starts_at,
        NaiveDate::from_ymd_opt(2026, 12, 1).and_then(|d| d.and_hms_opt(13, 0, 0))
    );
    assert_eq!(
        v.ends_at,
        NaiveDate::from_ymd_opt(2026, 12, 22).and_then(|d| d.and_hms_opt(15, 0, 0))
    );
    f.ends_at = "2026-12-01T13:00".into();
    let e = f
        .validate(Kind::Event, &rules(&communes(), &[]))
        .expect_err("invalid");
    assert_eq!(e.on("ends_at").map(|x| x.code), Some("ends_before_start"));
}

#[test]
fn an_entry_round_trips_through_its_edit_form() {
    let mut f = base("Club de foot");
    f.activities = "Entraînements".into();
    f.email = "club@example.org".into();
    let v = f
        .validate(Kind::Association, &rules(&communes(), &[]))
        .expect("valid");
    let again = EntryForm::from_entry(&v.title, &v.commune, &v.summary, &[], &v.details);
    let v2 = again
        .validate(Kind::Association, &rules(&communes(), &[]))
        .expect("valid");
    assert_eq!(v, v2);
}

#[test]
fn event_periods_cover_the_right_days() {
    let sunday = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).expect("date");
    assert_eq!(
        period_days("aujourdhui", "", sunday),
        Some((sunday, day(23)))
    );
    assert_eq!(period_days("semaine", "", sunday), Some((sunday, day(29))));
    assert_eq!(
        period_days("mois", "", sunday),
        NaiveDate::from_ymd_opt(2026, 12, 1).map(|d| (sunday, d))
    );
    assert_eq!(
        period_days("date", "2026-11-25", sunday),
        Some((day(25), day(26)))
    );
    assert_eq!(period_days("date", "demain", sunday), None);
    assert_eq!(period_days("", "", sunday), None);
    let december = NaiveDate::from_ymd_opt(2026, 12, 15).expect("date");
    assert_eq!(
        first_of_next_month(december),
        NaiveDate::from_ymd_opt(2027, 1, 1).expect("date")
    );
    // Midnight in Paris in winter is 23:00 UTC the day before.
    let (from, _) = paris_days_to_utc(sunday, day(23));
    assert_eq!(from, day(21).and_hms_opt(23, 0, 0).expect("time"));
}

#[test]
fn french_phone_numbers_are_normalized() {
    assert_eq!(
        normalize_phone("+33 1 99 00 12 34").as_deref(),
        Some("01 99 00 12 34")
    );
    assert_eq!(
        normalize_phone("0199001234").as_deref(),
        Some("01 99 00 12 34")
    );
    assert_eq!(normalize_phone("12 34"), None);
}

#[test]
fn dates_outside_the_accepted_years_are_refused_not_overflowed() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    for far in ["+262142-12-31", "-262143-01-01", "1899-12-31", "2201-01-01"] {
        assert_eq!(period_days("date", far, today), None, "{far}");
        assert_eq!(parse_date(far), None, "{far}");
    }
    assert_eq!(parse_month("+262142-12"), None);
    assert_eq!(parse_month("-262143-01"), None);
    assert_eq!(parse_month("2200-12"), NaiveDate::from_ymd_opt(2200, 12, 1));

    // The default end of an event, two hours after its start, must not overflow.
    let mut f = base("Bal du bout du temps");
    f.starts_at = "+262142-12-31T23:00".into();
    let e = f
        .validate(Kind::Event, &rules(&communes(), &[]))
        .expect_err("out of range");
    assert_eq!(e.on("starts_at").map(|x| x.code), Some("date_out_of_range"));
    f.starts_at = "2200-12-31T23:00".into();
    let v = f
        .validate(Kind::Event, &rules(&communes(), &[]))
        .expect("the last accepted year");
    assert_eq!(v.occurrences.len(), 1);

    let mut job = base("Offre lointaine");
    job.employer = "Mairie".into();
    job.contract = "cdd".into();
    job.how_to_apply = "CV".into();
    job.published_on = "+262142-12-31".into();
    job.expires_on = "-262143-01-01".into();
    let e = job
        .validate(Kind::Job, &rules(&communes(), &[]))
        .expect_err("out of range");
    assert_eq!(
        e.on("published_on").map(|x| x.code),
        Some("date_out_of_range")
    );
    assert_eq!(
        e.on("expires_on").map(|x| x.code),
        Some("date_out_of_range")
    );
}

#[test]
fn a_huge_verification_delay_stops_at_the_first_accepted_year() {
    let now = NaiveDate::from_ymd_opt(2026, 11, 22)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .expect("date");
    let floor = NaiveDate::from_ymd_opt(1900, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("date");
    assert_eq!(days_before(now, i64::MAX), floor);
    assert_eq!(days_before(now, 200_000), floor);
    assert_eq!(days_before(now, 2), now - chrono::Duration::days(2));
}

#[test]
fn unprintable_characters_never_reach_a_published_text() {
    assert_eq!(
        super::clean("Ctrl\u{7}\u{1b}[31m \u{202e}evil\u{200b}  titre"),
        "Ctrl[31m evil titre"
    );
    assert_eq!(super::clean("\u{202e}\u{2066}"), "");
    assert!(!super::is_unprintable('é') && !super::is_unprintable('\n'));
}
