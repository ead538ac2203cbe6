//! The public lists of the directory: the filters of a list's URL, the query they make (with
//! the clock passed in), the bounded `{{annuaire …}}` embeds of wiki pages, and the agenda's
//! expansion of events into occurrences. Pure: the store runs the queries.

use super::{
    Kind, Status, first_of_next_month, in_range, paris_days_to_utc, parse_month, period_days,
};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Deserialize;

/// Entries on one page of a public list.
pub const PER_PAGE: i64 = 20;
/// How many `{{annuaire …}}` embeds one wiki page may show; the others show a notice.
pub const MAX_EMBEDS: usize = 10;
/// Entries an embed shows when it does not say (`limite=`), and the most it may ask for.
pub const EMBED_DEFAULT: i64 = 5;
pub const EMBED_MAX: i64 = 20;
/// The most events one month of the agenda or the calendar feed reads.
pub const MAX_EVENTS: i64 = 1000;

/// `now` at the start of its minute. What is current (offers not expired, events not over)
/// is judged to the minute, so that the answers of the public lists can be kept that long: an
/// offer that expires during a minute still shows until the minute ends.
pub fn to_the_minute(now: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    now.with_second(0)
        .and_then(|n| n.with_nanosecond(0))
        .unwrap_or(now)
}

/// A period of the agenda filter, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
}

/// A public list of one kind, with its filters: what the store reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListQuery {
    pub kind: Kind,
    pub commune: Option<String>,
    /// (facet, value): an entry must carry each of them.
    pub tags: Vec<(String, String)>,
    /// Jobs: contract type; housing: type of housing.
    pub subtype: Option<String>,
    /// Housing: maximum monthly rent with charges.
    pub max_amount: Option<i32>,
    /// Events: only those with an occurrence overlapping this period.
    pub period: Option<Period>,
    /// Include expired offers and past events (agents, archives).
    pub include_ended: bool,
    pub status: Status,
    /// The moment offers and events are compared with, in UTC.
    pub now: NaiveDateTime,
    pub limit: i64,
    pub offset: i64,
}

impl ListQuery {
    /// Every published, current entry of `kind`, first page.
    pub fn current(kind: Kind, now: NaiveDateTime) -> ListQuery {
        ListQuery {
            kind,
            commune: None,
            tags: Vec::new(),
            subtype: None,
            max_amount: None,
            period: None,
            include_ended: false,
            status: Status::Published,
            now,
            limit: PER_PAGE,
            offset: 0,
        }
    }

    /// Upcoming events (overlapping `period` if given), as many as the agenda reads.
    pub fn events(period: Option<Period>, now: NaiveDateTime) -> ListQuery {
        ListQuery {
            period,
            limit: MAX_EVENTS,
            ..ListQuery::current(Kind::Event, now)
        }
    }
}

/// Filters of a list, as they appear in its URL (plain GET form, shareable).
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ListParams {
    pub commune: String,
    pub categorie: String,
    pub theme: String,
    pub public: String,
    pub contrat: String,
    #[serde(rename = "type")]
    pub housing_type: String,
    pub loyer_max: String,
    pub periode: String,
    pub date: String,
    pub passes: String,
    pub page: Option<i64>,
}

impl ListParams {
    /// The query string of these filters, without the page (for pagination links).
    pub fn query_string(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("commune", self.commune.as_str()),
            ("categorie", &self.categorie),
            ("theme", &self.theme),
            ("public", &self.public),
            ("contrat", &self.contrat),
            ("type", &self.housing_type),
            ("loyer_max", &self.loyer_max),
            ("periode", &self.periode),
            ("date", &self.date),
            ("passes", &self.passes),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// The list's address with these filters.
    pub fn url(&self, kind: Kind) -> String {
        let query = self.query_string();
        if query.is_empty() {
            kind.list_path()
        } else {
            format!("{}?{query}", kind.list_path())
        }
    }

    /// Whether the reader asked for a day the list cannot show (unreadable, or outside the
    /// years the site accepts): the list then shows the upcoming events and says why.
    pub fn date_refused(&self) -> bool {
        self.periode.trim() == "date"
            && !self.date.trim().is_empty()
            && crate::entry::parse_date(&self.date).is_none()
    }

    /// The events period chosen, in UTC. A date that does not parse, or lies outside the
    /// years the site accepts, is no period: the list shows the upcoming events.
    pub fn period(&self, today: NaiveDate) -> Option<Period> {
        let (from, to) = period_days(&self.periode, &self.date, today)?;
        let (from, to) = paris_days_to_utc(from, to);
        Some(Period { from, to })
    }

    /// The first page of the list of `kind` these filters ask for, at `now` (UTC) and
    /// `today` (Paris). Filters that do not apply to the kind are ignored.
    pub fn query(&self, kind: Kind, now: NaiveDateTime, today: NaiveDate) -> ListQuery {
        let mut tags = Vec::new();
        let mut tag = |facet: &str, value: &str| {
            if !value.trim().is_empty() {
                tags.push((facet.to_owned(), value.trim().to_owned()));
            }
        };
        tag("category", &self.categorie);
        tag("public", &self.public);
        if kind == Kind::Service {
            tag("theme_group", &self.theme);
        }
        ListQuery {
            commune: Some(self.commune.trim().to_owned()).filter(|c| !c.is_empty()),
            tags,
            subtype: match kind {
                Kind::Job => Some(self.contrat.trim().to_owned()),
                Kind::Housing => Some(self.housing_type.trim().to_owned()),
                _ => None,
            }
            .filter(|s| !s.is_empty()),
            max_amount: if kind == Kind::Housing {
                self.loyer_max.trim().parse().ok()
            } else {
                None
            },
            period: if kind == Kind::Event {
                self.period(today)
            } else {
                None
            },
            include_ended: kind == Kind::Event && self.passes == "1",
            ..ListQuery::current(kind, now)
        }
    }
}

/// What one `{{annuaire …}}` of a wiki page asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmbedRequest {
    /// A list to read, and the address of the whole list with the same filters.
    List { query: ListQuery, url: String },
    /// A list name the directory does not know: the embed shows nothing.
    Unknown,
    /// Past the [`MAX_EMBEDS`] first embeds of the page: a notice, no query.
    OverLimit,
}

/// The queries of a page's embeds, given as (list name, filters) in page order: at most
/// [`MAX_EMBEDS`] of them are read, each of at most [`EMBED_MAX`] entries.
pub fn embed_requests<'a>(
    embeds: impl IntoIterator<Item = (&'a str, &'a [(String, String)])>,
    now: NaiveDateTime,
    today: NaiveDate,
) -> Vec<EmbedRequest> {
    embeds
        .into_iter()
        .enumerate()
        .map(|(i, (list, params))| {
            if i >= MAX_EMBEDS {
                return EmbedRequest::OverLimit;
            }
            let Some(kind) = Kind::from_segment(list) else {
                return EmbedRequest::Unknown;
            };
            let limit = params
                .iter()
                .find(|(k, _)| k == "limite")
                .and_then(|(_, v)| v.parse::<i64>().ok())
                .unwrap_or(EMBED_DEFAULT)
                .clamp(1, EMBED_MAX);
            let filters: Vec<&(String, String)> =
                params.iter().filter(|(k, _)| k != "limite").collect();
            let encoded = serde_urlencoded::to_string(&filters).unwrap_or_default();
            let filters: ListParams = serde_urlencoded::from_str(&encoded).unwrap_or_default();
            EmbedRequest::List {
                query: ListQuery {
                    limit,
                    ..filters.query(kind, now, today)
                },
                url: filters.url(kind),
            }
        })
        .collect()
}

/// One month of the agenda: its first day, the first day of the next, and the period the
/// store reads (in UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgendaMonth {
    pub first: NaiveDate,
    pub next: NaiveDate,
    pub period: Period,
    /// The month asked for could not be shown (unreadable, or outside the accepted years):
    /// this month is shown instead, and the page says so.
    pub refused: bool,
}

impl AgendaMonth {
    /// The month `mois` (`YYYY-MM`) names; this month (`today`'s) when it names none the site
    /// accepts.
    pub fn of(mois: &str, today: NaiveDate) -> AgendaMonth {
        let asked = parse_month(mois);
        AgendaMonth {
            refused: asked.is_none() && !mois.trim().is_empty(),
            ..AgendaMonth::starting(asked.unwrap_or_else(|| today.with_day(1).unwrap_or(today)))
        }
    }

    /// The month whose first day is `first`.
    fn starting(first: NaiveDate) -> AgendaMonth {
        let next = first_of_next_month(first);
        let (from, to) = paris_days_to_utc(first, next);
        AgendaMonth {
            first,
            next,
            period: Period { from, to },
            refused: false,
        }
    }
}

/// Occurrences one day of an agenda page shows; that day's own page lists them all.
pub const AGENDA_PER_DAY: i64 = 5;
/// Occurrences on one page of a day of the agenda.
pub const AGENDA_DAY_PAGE: i64 = 20;
/// Events already running at the start of a day that its page shows (fairs, exhibitions).
pub const AGENDA_ONGOING: i64 = 10;
/// Days on one page of the agenda.
const AGENDA_DAYS: u64 = 7;

/// One day of the agenda, in Paris, and the moments it spans in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgendaDay {
    pub date: NaiveDate,
    pub period: Period,
}

impl AgendaDay {
    pub fn of(date: NaiveDate) -> AgendaDay {
        let next = date.succ_opt().unwrap_or(date);
        let (from, to) = paris_days_to_utc(date, next);
        AgendaDay {
            date,
            period: Period { from, to },
        }
    }

    /// The day a URL names (`YYYY-MM-DD`), within the years the site accepts.
    pub fn parse(s: &str) -> Option<AgendaDay> {
        let date = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
        in_range(date).then(|| AgendaDay::of(date))
    }

    /// The day before, within the accepted years.
    pub fn previous(&self) -> Option<NaiveDate> {
        self.date.pred_opt().filter(|d| in_range(*d))
    }

    /// The day after, within the accepted years.
    pub fn next(&self) -> Option<NaiveDate> {
        self.date.succ_opt().filter(|d| in_range(*d))
    }
}

/// One page of the agenda: a week from a given day, by day. The agenda never reads a whole
/// month: each day is read on its own, at most [`AGENDA_PER_DAY`] occurrences and one more to
/// know whether its own page has others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgendaPage {
    /// The month of the first day: the page's heading and the month navigation.
    pub month: AgendaMonth,
    /// The first day shown.
    pub from: NaiveDate,
    /// The day after the last one shown.
    pub to: NaiveDate,
    /// Today, in Paris: days before it have nothing left to show.
    pub today: NaiveDate,
    /// What was asked could not be read: the page shows the next days, and says why.
    pub refused: Refused,
}

/// Why an agenda page is not the one asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Nothing,
    Month,
    Day,
}

impl AgendaPage {
    /// The page `du` (`YYYY-MM-DD`: from that day) or `mois` (`YYYY-MM`: from its first day,
    /// or from today in the current month) ask for; from today without either. A value that
    /// does not read as a date within the accepted years gives the page from today.
    pub fn of(mois: &str, du: &str, today: NaiveDate) -> AgendaPage {
        let from_today = |refused| AgendaPage::starting(today, today, refused);
        if !du.trim().is_empty() {
            return match AgendaDay::parse(du) {
                Some(day) => AgendaPage::starting(day.date, today, Refused::Nothing),
                None => from_today(Refused::Day),
            };
        }
        if mois.trim().is_empty() {
            return from_today(Refused::Nothing);
        }
        let month = AgendaMonth::of(mois, today);
        if month.refused {
            return from_today(Refused::Month);
        }
        let from = if month.first <= today && today < month.next {
            today
        } else {
            month.first
        };
        AgendaPage::starting(from, today, Refused::Nothing)
    }

    fn starting(from: NaiveDate, today: NaiveDate, refused: Refused) -> AgendaPage {
        // Never a day past the accepted years, whose own page could not be shown.
        let end = NaiveDate::from_ymd_opt(super::LAST_YEAR + 1, 1, 1).unwrap_or(from);
        let week = from.checked_add_days(chrono::Days::new(AGENDA_DAYS));
        AgendaPage {
            month: AgendaMonth::starting(from.with_day(1).unwrap_or(from)),
            from,
            to: week.map_or(end, |w| w.min(end)),
            today,
            refused,
        }
    }

    /// The days of the page, in order.
    pub fn days(&self) -> Vec<AgendaDay> {
        self.from
            .iter_days()
            .take_while(|d| *d < self.to)
            .map(AgendaDay::of)
            .collect()
    }

    /// The first day of the page before, unless that page would be wholly past.
    pub fn previous(&self) -> Option<NaiveDate> {
        (self.from > self.today).then(|| {
            self.from
                .checked_sub_days(chrono::Days::new(AGENDA_DAYS))
                .map_or(self.today, |d| d.max(self.today))
        })
    }

    /// The first day of the page after, within the accepted years.
    pub fn next(&self) -> Option<NaiveDate> {
        Some(self.to).filter(|d| in_range(*d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_current_is_judged_to_the_minute() {
        let t = |m, s, ms| {
            NaiveDate::from_ymd_opt(2026, 11, 25)
                .and_then(|d| d.and_hms_milli_opt(10, m, s, ms))
                .expect("time")
        };
        assert_eq!(to_the_minute(t(4, 59, 999)), t(4, 0, 0));
        assert_eq!(to_the_minute(t(4, 0, 0)), t(4, 0, 0));
        assert_eq!(to_the_minute(t(5, 0, 1)), t(5, 0, 0));
    }

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, 0, 0))
            .expect("date")
    }

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_list_url_makes_the_query_of_its_kind_only() {
        let now = at(2026, 11, 22, 10);
        let today = now.date();
        let p: ListParams =
            serde_urlencoded::from_str("commune=79901&contrat=cdi&loyer_max=500&theme=sante")
                .expect("params");
        let jobs = p.query(Kind::Job, now, today);
        assert_eq!(jobs.commune.as_deref(), Some("79901"));
        assert_eq!(jobs.subtype.as_deref(), Some("cdi"));
        assert_eq!(jobs.max_amount, None);
        assert!(jobs.tags.is_empty(), "themes filter services only");
        assert_eq!(jobs.now, now);
        assert_eq!(jobs.limit, PER_PAGE);
        let housing = p.query(Kind::Housing, now, today);
        assert_eq!(housing.max_amount, Some(500));
        assert_eq!(housing.subtype, None);
        assert_eq!(
            p.url(Kind::Job),
            "/annuaire/emplois?commune=79901&theme=sante&contrat=cdi&loyer_max=500"
        );
    }

    #[test]
    fn a_page_reads_at_most_ten_embeds_of_at_most_twenty_entries() {
        let now = at(2026, 11, 22, 10);
        let many = params(&[("contrat", "cdi"), ("limite", "500")]);
        let none = params(&[]);
        let mut embeds: Vec<(&str, &[(String, String)])> = vec![("emplois", &many)];
        embeds.push(("inconnue", &none));
        embeds.extend((0..10).map(|_| ("services", none.as_slice())));
        let requests = embed_requests(embeds, now, now.date());
        assert_eq!(requests.len(), 12);
        match &requests[0] {
            EmbedRequest::List { query, url } => {
                assert_eq!(query.limit, EMBED_MAX);
                assert_eq!(query.subtype.as_deref(), Some("cdi"));
                assert_eq!(url, "/annuaire/emplois?contrat=cdi");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(requests[1], EmbedRequest::Unknown);
        assert!(
            matches!(&requests[2], EmbedRequest::List { query, .. } if query.limit == EMBED_DEFAULT)
        );
        assert!(matches!(requests[9], EmbedRequest::List { .. }));
        assert_eq!(requests[10], EmbedRequest::OverLimit);
        assert_eq!(requests[11], EmbedRequest::OverLimit);
    }

    #[test]
    fn the_agenda_shows_this_month_for_a_month_it_cannot_read() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        let this = AgendaMonth::of("", today);
        assert_eq!(
            this.first,
            NaiveDate::from_ymd_opt(2026, 11, 1).expect("date")
        );
        assert!(!this.refused, "no month asked, none refused");
        let refused = AgendaMonth {
            refused: true,
            ..this
        };
        assert_eq!(AgendaMonth::of("+262142-12", today), refused);
        assert_eq!(AgendaMonth::of("-262143-01", today), refused);
        assert_eq!(AgendaMonth::of("2026-13", today), refused);
        let december = AgendaMonth::of("2026-12", today);
        assert_eq!(
            december.next,
            NaiveDate::from_ymd_opt(2027, 1, 1).expect("date")
        );
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn an_agenda_page_is_a_week_from_today_or_from_the_day_asked() {
        let today = date(2026, 11, 25);
        let now = AgendaPage::of("", "", today);
        assert_eq!((now.from, now.to), (today, date(2026, 12, 2)));
        assert_eq!(now.month.first, date(2026, 11, 1));
        assert_eq!(now.refused, Refused::Nothing);
        assert_eq!(now.days().len(), 7);
        assert_eq!(now.previous(), None, "the days before today are past");
        assert_eq!(now.next(), Some(date(2026, 12, 2)));
        // The current month from today, another month from its first day.
        assert_eq!(AgendaPage::of("2026-11", "", today), now);
        let december = AgendaPage::of("2026-12", "", today);
        assert_eq!(
            (december.from, december.to),
            (date(2026, 12, 1), date(2026, 12, 8))
        );
        assert_eq!(december.previous(), Some(today), "never a page wholly past");
        assert_eq!(december.next(), Some(date(2026, 12, 8)));
        let later = AgendaPage::of("", "2026-12-29", today);
        assert_eq!(
            (later.from, later.to),
            (date(2026, 12, 29), date(2027, 1, 5))
        );
        assert_eq!(later.month.first, date(2026, 12, 1));
        assert_eq!(later.previous(), Some(date(2026, 12, 22)));
        let third = AgendaPage::of("2027-03", "2026-12-03", today);
        assert_eq!(third.days()[0].date, date(2026, 12, 3), "du wins over mois");
        // A day across the change to summer time is 23 hours long, in UTC.
        let march = AgendaDay::of(date(2027, 3, 28));
        assert_eq!(
            march.period.to - march.period.from,
            chrono::Duration::hours(23)
        );
    }

    #[test]
    fn an_agenda_page_that_cannot_be_read_shows_the_next_days_and_says_why() {
        let today = date(2026, 11, 25);
        for (mois, du, refused) in [
            ("2026-13", "", Refused::Month),
            ("+262142-12", "", Refused::Month),
            ("", "2026-02-30", Refused::Day),
            ("", "2201-01-01", Refused::Day),
            ("", "1899-12-31", Refused::Day),
            ("2026-12", "n’importe quoi", Refused::Day),
        ] {
            let page = AgendaPage::of(mois, du, today);
            assert_eq!(page.refused, refused, "{mois} {du}");
            assert_eq!(page.from, today, "{mois} {du}");
        }
        let last = AgendaPage::of("", "2200-12-30", today);
        assert_eq!(last.refused, Refused::Nothing);
        assert_eq!(last.days().len(), 2);
        assert_eq!(last.next(), None);
        assert_eq!(AgendaDay::parse("2200-12-31").and_then(|d| d.next()), None);
        assert_eq!(
            AgendaDay::parse("1900-01-01").and_then(|d| d.previous()),
            None
        );
    }
}
