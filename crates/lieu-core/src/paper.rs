//! The printed directory (issue 13, "paper for residents who are not online"): which kinds
//! it may hold, how many entries one printout holds at most, and how its entries are grouped
//! and ordered.
//!
//! Services and associations are printed by default: what they say stays true for months,
//! as long as a sheet stays pinned at the town hall. Job and housing offers expire within
//! weeks and events pass, so they are printed only when asked for, each with its date.

use crate::collation::title_sort_key;
use crate::entry::{Details, Kind};
use crate::vocab::{THEME_GROUPS, theme_group};

/// The most entries one printout holds: about sixty A4 pages. A commune's directory is the
/// normal case; a larger choice (the whole territory of a large network) is asked to narrow
/// down rather than read without end.
pub const MAX_ENTRIES: usize = 300;

/// The kinds a printout may hold, in the order of its sections.
pub const KINDS: [Kind; 5] = [
    Kind::Service,
    Kind::Association,
    Kind::Event,
    Kind::Job,
    Kind::Housing,
];

/// The kinds printed when none is chosen.
pub const DEFAULT_KINDS: [Kind; 2] = [Kind::Service, Kind::Association];

/// The kinds named by `segments` (`services`, `associations`, …), in the printout's order,
/// each once; unknown names are ignored, and none known gives [`DEFAULT_KINDS`].
pub fn kinds_of<'a>(segments: impl IntoIterator<Item = &'a str>) -> Vec<Kind> {
    let asked: Vec<Kind> = segments
        .into_iter()
        .filter_map(Kind::from_segment)
        .collect();
    let kinds: Vec<Kind> = KINDS.into_iter().filter(|k| asked.contains(k)).collect();
    if kinds.is_empty() {
        DEFAULT_KINDS.to_vec()
    } else {
        kinds
    }
}

/// A section of the printout. Sections sort in the order they are printed: the services by
/// theme group (in the standard's order), the services without a theme, then the other
/// kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// A group of data·inclusion thématiques: its index in [`THEME_GROUPS`].
    Theme(usize),
    OtherServices,
    Associations,
    Events,
    Jobs,
    Housing,
}

impl Section {
    /// Where an entry is printed. A service appears once, under the group of its first
    /// thématique (they are stored sorted, so the first of its groups in the standard's
    /// order): a sheet that repeated each service under each of its themes would be twice
    /// as long for little gain.
    pub fn of(details: &Details) -> Section {
        match details {
            Details::Service(d) => d
                .themes
                .first()
                .and_then(|theme| {
                    let group = theme_group(theme);
                    THEME_GROUPS.iter().position(|(g, _)| *g == group)
                })
                .map_or(Section::OtherServices, Section::Theme),
            Details::Association(_) => Section::Associations,
            Details::Event(_) => Section::Events,
            Details::Job(_) => Section::Jobs,
            Details::Housing(_) => Section::Housing,
        }
    }

    /// The theme group's value (`sante`) of a theme section.
    pub fn theme_group(self) -> Option<&'static str> {
        match self {
            Section::Theme(i) => THEME_GROUPS.get(i).map(|(g, _)| *g),
            _ => None,
        }
    }

    /// A stable identifier, for anchors (`theme-sante`, `associations`).
    pub fn id(self) -> String {
        match self {
            Section::Theme(_) => format!("theme-{}", self.theme_group().unwrap_or("autre")),
            Section::OtherServices => "autres-services".to_owned(),
            Section::Associations => "associations".to_owned(),
            Section::Events => "evenements".to_owned(),
            Section::Jobs => "emplois".to_owned(),
            Section::Housing => "logements".to_owned(),
        }
    }
}

/// `items` in sections, in the printout's order, each sorted by title (accents and case
/// folded, so that "École" comes with the E).
pub fn sections<T>(
    items: impl IntoIterator<Item = T>,
    section_and_title: impl Fn(&T) -> (Section, &str),
) -> Vec<(Section, Vec<T>)> {
    let mut keyed: Vec<(Section, String, T)> = items
        .into_iter()
        .map(|item| {
            let (section, title) = section_and_title(&item);
            let key = title_sort_key(title);
            (section, key, item)
        })
        .collect();
    keyed.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut out: Vec<(Section, Vec<T>)> = Vec::new();
    for (section, _, item) in keyed {
        match out.last_mut() {
            Some((last, items)) if *last == section => items.push(item),
            _ => out.push((section, vec![item])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::{AssociationDetails, ServiceDetails};

    fn service(themes: &[&str]) -> Details {
        Details::Service(ServiceDetails {
            themes: themes.iter().map(|t| (*t).to_owned()).collect(),
            ..ServiceDetails::default()
        })
    }

    #[test]
    fn a_service_is_printed_under_the_group_of_its_first_theme() {
        let sante = THEME_GROUPS
            .iter()
            .position(|(g, _)| *g == "sante")
            .expect("sante");
        assert_eq!(
            Section::of(&service(&["sante--acces-aux-soins", "mobilite--x"])),
            Section::Theme(sante)
        );
        assert_eq!(Section::of(&service(&[])), Section::OtherServices);
        assert_eq!(
            Section::of(&service(&["inconnu--x"])),
            Section::OtherServices
        );
        assert_eq!(
            Section::of(&Details::Association(AssociationDetails::default())),
            Section::Associations
        );
        assert_eq!(Section::Theme(sante).id(), "theme-sante");
    }

    #[test]
    fn sections_follow_the_themes_order_then_the_kinds_and_titles_sort_in_french() {
        let items = vec![
            (Section::Associations, "Zumba"),
            (Section::Theme(12), "École de santé"),
            (Section::Associations, "avenir"),
            (Section::Theme(2), "Mairie"),
            (Section::Theme(12), "Dentiste"),
        ];
        let grouped = sections(items, |(s, t)| (*s, *t));
        let flat: Vec<(Section, Vec<&str>)> = grouped
            .into_iter()
            .map(|(s, items)| (s, items.into_iter().map(|(_, t)| t).collect()))
            .collect();
        assert_eq!(
            flat,
            vec![
                (Section::Theme(2), vec!["Mairie"]),
                (Section::Theme(12), vec!["Dentiste", "École de santé"]),
                (Section::Associations, vec!["avenir", "Zumba"]),
            ]
        );
    }

    #[test]
    fn the_kinds_asked_are_kept_in_order_and_nothing_known_gives_the_default() {
        assert_eq!(
            kinds_of(["emplois", "services", "services", "<script>"]),
            vec![Kind::Service, Kind::Job]
        );
        assert_eq!(kinds_of(["nimporte"]), DEFAULT_KINDS.to_vec());
        assert_eq!(kinds_of([]), DEFAULT_KINDS.to_vec());
    }
}
