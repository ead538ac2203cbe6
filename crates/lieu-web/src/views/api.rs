//! `/api`: the JSON API explained to people — how to page, cache and read errors, then each
//! operation with its parameters and answers, read from the same OpenAPI document the API
//! serves, so that the page and the API cannot disagree.

use super::{PageCtx, layout};
use crate::api::types::Licence;
use crate::i18n::t;
use maud::{Markup, html};
use serde_json::Value;

/// The error codes, with the catalog key that explains each; `/api#CODE` is their anchor.
const CODES: &[(&str, &str)] = &[
    ("bad_parameter", "api.code.bad_parameter"),
    ("not_found", "api.code.not_found"),
    ("method_not_allowed", "api.code.method_not_allowed"),
    ("rate_limited", "api.code.rate_limited"),
    ("internal", "api.code.internal"),
];

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// "chaîne, format date-time", "entier de 1 à 100", "service | association | …".
fn schema_words(schema: &Value, doc: &Value) -> String {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix("#/components/schemas/")
            .and_then(|name| doc.pointer(&format!("/components/schemas/{name}")))
            .unwrap_or(schema),
        None => schema,
    };
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | ");
    }
    let kind = match schema.get("type") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    };
    let mut words = vec![kind];
    if let Some(format) = schema.get("format").and_then(Value::as_str) {
        words.push(format!("format {format}"));
    }
    if let (Some(min), Some(max)) = (schema.get("minimum"), schema.get("maximum")) {
        words.push(format!("{min} – {max}"));
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        words.push(pattern.to_owned());
    }
    words.retain(|w| !w.is_empty());
    words.join(", ")
}

pub fn page(
    ctx: &PageCtx,
    doc: &utoipa::openapi::OpenApi,
    licence: &Licence,
    openapi_path: &str,
) -> Markup {
    let doc = serde_json::to_value(doc).unwrap_or(Value::Null);
    let empty = serde_json::Map::new();
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    layout(
        ctx,
        t("api.title"),
        html! {
            h1 { (t("api.title")) }
            p { (t("api.intro")) }
            p {
                (t("api.licence")) " "
                a href=(licence.url) { (licence.name) } "."
            }
            p { a href=(openapi_path) { (t("api.openapi")) } " (" code { (openapi_path) } ")" }
            h2 { (t("api.rules")) }
            ul {
                li { (t("api.rule.paging")) }
                li { (t("api.rule.cache")) }
                li { (t("api.rule.cors")) }
                li { (t("api.rule.limit")) }
                li { (t("api.rule.errors")) }
            }
            h2 { (t("api.operations")) }
            @for (path, item) in paths {
                @if let Some(op) = item.get("get") {
                    section.operation aria-labelledby=(format!("op-{}", text(op, "operationId"))) {
                        h3 id=(format!("op-{}", text(op, "operationId"))) {
                            code { "GET " (path) }
                        }
                        @let summary = text(op, "summary");
                        @if !summary.is_empty() { p { (summary) } }
                        @let description = text(op, "description");
                        @if !description.is_empty() { p { (description) } }
                        @if let Some(params) = op.get("parameters").and_then(Value::as_array) {
                            @if !params.is_empty() {
                                table {
                                    caption { (t("api.parameters")) }
                                    thead { tr {
                                        th scope="col" { (t("api.parameter")) }
                                        th scope="col" { (t("api.values")) }
                                        th scope="col" { (t("api.meaning")) }
                                    } }
                                    tbody {
                                        @for p in params {
                                            tr {
                                                th scope="row" {
                                                    code { (text(p, "name")) }
                                                    @if p.get("required").and_then(Value::as_bool) == Some(true) {
                                                        " " (t("api.required"))
                                                    }
                                                }
                                                td { (p.get("schema").map(|s| schema_words(s, &doc)).unwrap_or_default()) }
                                                td { (text(p, "description")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        @if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                            p { (t("api.answers")) " "
                                @for (i, (status, r)) in responses.iter().enumerate() {
                                    @if i > 0 { ", " }
                                    code { (status) } " " (text(r, "description"))
                                }
                            }
                        }
                    }
                }
            }
            h2 #erreurs { (t("api.errors")) }
            dl {
                @for (code, key) in CODES {
                    dt id=(code) { code { (code) } }
                    dd { (t(key)) }
                }
            }
        },
    )
}
