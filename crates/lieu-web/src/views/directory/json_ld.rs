//! Structured data (JSON-LD) of an entry's page, for search engines.

use super::entry::EntryView;
use super::format::entry_url;
use chrono::NaiveDateTime;
use lieu_core::entry::Details;
use serde_json::json;

/// JSON-LD of the entry, with the schema.org type that fits its kind.
pub fn structured_data(view: &EntryView, base_url: &str) -> serde_json::Value {
    let url = format!(
        "{}{}",
        base_url.trim_end_matches('/'),
        entry_url(&view.entry)
    );
    let address = json!({
        "@type": "PostalAddress",
        "streetAddress": view.details.address(),
        "postalCode": view.commune.postcode,
        "addressLocality": view.commune.name,
        "addressCountry": "FR",
    });
    let c = view.details.contact();
    let iso = |local: NaiveDateTime| {
        chrono::TimeZone::from_local_datetime(&chrono_tz::Europe::Paris, &local)
            .earliest()
            .map(|d| d.to_rfc3339())
    };
    match &view.details {
        Details::Service(d) => json!({
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": view.entry.title,
            "description": view.entry.summary,
            "url": url,
            "areaServed": { "@type": "City", "name": view.commune.name },
            "provider": { "@type": "Organization", "name": if d.organisation.is_empty() { &view.entry.title } else { &d.organisation } },
            "availableChannel": {
                "@type": "ServiceChannel",
                "servicePhone": c.phone.as_ref().map(|p| json!({ "@type": "ContactPoint", "telephone": p })),
                "serviceLocation": { "@type": "Place", "address": address },
            },
        }),
        Details::Association(d) => json!({
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": view.entry.title,
            "description": view.entry.summary,
            "url": c.website.clone().unwrap_or(url),
            "address": address,
            "telephone": c.phone,
            "email": c.email,
            "knowsAbout": d.activities,
        }),
        Details::Job(d) => json!({
            "@context": "https://schema.org",
            "@type": "JobPosting",
            "title": view.entry.title,
            "description": if d.description.is_empty() { &view.entry.summary } else { &d.description },
            "datePosted": d.published_on.format("%Y-%m-%d").to_string(),
            "validThrough": d.expires_on.format("%Y-%m-%dT23:59:59").to_string(),
            "employmentType": match d.contract.as_str() {
                "cdi" => "FULL_TIME",
                "benevolat" => "VOLUNTEER",
                "apprentissage" => "INTERN",
                _ => "TEMPORARY",
            },
            "hiringOrganization": { "@type": "Organization", "name": d.employer },
            "jobLocation": { "@type": "Place", "address": address },
            "url": url,
        }),
        Details::Housing(d) => json!({
            "@context": "https://schema.org",
            "@type": "Offer",
            "name": view.entry.title,
            "description": view.entry.summary,
            "url": url,
            "price": d.rent_eur + d.charges_eur,
            "priceCurrency": "EUR",
            "validThrough": d.expires_on.format("%Y-%m-%d").to_string(),
            "availabilityStarts": d.available_from.map(|a| a.format("%Y-%m-%d").to_string()),
            "itemOffered": {
                "@type": match d.housing_type.as_str() { "maison" => "House", "appartement" => "Apartment", "chambre" | "colocation" => "Room", _ => "Accommodation" },
                "numberOfRooms": d.rooms,
                "floorSize": d.surface_m2.map(|s| json!({ "@type": "QuantitativeValue", "value": s, "unitCode": "MTK" })),
                "address": address,
            },
        }),
        Details::Event(d) => json!({
            "@context": "https://schema.org",
            "@type": "Event",
            "name": view.entry.title,
            "description": view.entry.summary,
            "url": url,
            "startDate": iso(d.starts_at),
            "endDate": iso(d.ends_at),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": { "@type": "Place", "name": if d.address.is_empty() { &view.commune.name } else { &d.address }, "address": address },
            "organizer": (!d.organiser.is_empty()).then(|| json!({ "@type": "Organization", "name": d.organiser })),
            "isAccessibleForFree": d.price.to_lowercase().contains("gratuit"),
        }),
    }
}
