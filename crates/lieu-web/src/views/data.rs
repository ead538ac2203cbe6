//! The `/donnees` page: the directory's open data files, their size and date, the licence.

use super::layout;
use crate::extract::PageCtx;
use crate::i18n::t;
use crate::state::WebConfig;
use lieu_core::opendata::{FILES, Format, METADATA_FILE};
use lieu_store::opendata::Summary;
use maud::{Markup, html};

pub const PATH: &str = "/donnees";

/// `1,2 Mo`, `34 ko`, `512 octets`.
fn size(bytes: u64) -> String {
    // Precision is not needed past the first decimal; the cast only shows the size.
    #[allow(clippy::cast_precision_loss)]
    let b = bytes as f64;
    if bytes >= 1_000_000 {
        format!("{:.1} Mo", b / 1_000_000.0).replace('.', ",")
    } else if bytes >= 1_000 {
        format!("{:.0} ko", b / 1_000.0)
    } else {
        format!("{bytes} octets")
    }
}

fn format_title(format: Format) -> &'static str {
    match format {
        Format::DataInclusion => t("data.di_title"),
        Format::Hsds => t("data.hsds_title"),
        Format::Csv => t("data.csv_title"),
    }
}

fn format_intro(format: Format) -> &'static str {
    match format {
        Format::DataInclusion => t("data.di_intro"),
        Format::Hsds => t("data.hsds_intro"),
        Format::Csv => t("data.csv_intro"),
    }
}

/// Date of the summary (`2026-11-25T10:00:00Z`) as a French date, in Paris time.
fn generated(summary: &Summary) -> String {
    chrono::DateTime::parse_from_rfc3339(&summary.genere_le)
        .map(|d| super::format_datetime(d.naive_utc()))
        .unwrap_or_default()
}

pub fn page(ctx: &PageCtx, config: &WebConfig, summary: Option<&Summary>) -> Markup {
    layout(
        ctx,
        t("data.title"),
        html! {
            h1 { (t("data.title")) }
            p { (t("data.intro")) }
            p {
                (t("data.licence")) " "
                a href=(config.data_licence_url) rel="license" { (config.data_licence) }
                ". " (t("data.licence_hint"))
            }
            @match summary {
                None => p.aide { (t("data.not_yet")) },
                Some(summary) => {
                    p { (t("data.generated")) " " (generated(summary)) ". " (t("data.refresh")) }
                    @for format in Format::ALL {
                        section aria-labelledby=(format!("donnees-{}", format.dir())) {
                            h2 id=(format!("donnees-{}", format.dir())) { (format_title(format)) }
                            p { (format_intro(format)) }
                            table.tableau {
                                caption.visuellement-cache { (format_title(format)) }
                                thead { tr {
                                    th scope="col" { (t("data.file")) }
                                    th scope="col" { (t("data.records")) }
                                    th scope="col" { (t("data.size")) }
                                } }
                                tbody {
                                    @for file in FILES.iter().filter(|f| f.format == format) {
                                        @let path = file.path();
                                        @if let Some(s) = summary.fichiers.iter().find(|s| s.chemin == path) {
                                            tr {
                                                td {
                                                    a href=(format!("{}/{path}", PATH)) download[file.name.ends_with(".csv")] { (file.name) }
                                                    @if file.excel { " " span.aide { (t("data.excel_hint")) } }
                                                }
                                                td { (s.enregistrements) }
                                                td { (size(s.octets)) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    p { a href=(format!("{PATH}/{METADATA_FILE}")) { (t("data.metadata")) } }
                }
            }
        },
    )
}
