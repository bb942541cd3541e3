//! What AWS says of each connector today: current, in preview, or legacy, in the words of
//! the page that says so.
//!
//! `generator/catalog/listings.json` holds the pages that list connectors (Amazon Q
//! Business's "Supported connectors" and "Legacy connectors", and the pages of the entries on
//! neither list), each with the sentence that introduces its list; a connector entry names
//! the listing it is on and the name it has there.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// A connector's status, as AWS states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Listed among the connectors AWS supports.
    Current,
    /// Listed among them, marked "(Preview)".
    Preview,
    /// No longer available for new onboarding.
    Legacy,
}

impl Status {
    /// Every status, in the order users see them.
    pub const ALL: [Status; 3] = [Status::Current, Status::Preview, Status::Legacy];

    /// The status's name: `legacy`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Preview => "preview",
            Status::Legacy => "legacy",
        }
    }

    /// The status named `name`.
    pub fn from_name(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.name() == name)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A page of AWS documentation that lists connectors, and what being on it means.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Listing {
    /// The page's title: `Legacy connectors`.
    pub title: String,
    /// The page's address.
    pub page: String,
    /// The page's own sentence introducing its list, verbatim.
    pub words: String,
    /// The status of the connectors it lists (a `(Preview)` mark makes one `preview`).
    pub status: Status,
    /// The day AWS says support ends (`2026-05-31`), where it says one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_ends: Option<String>,
}

/// Where AWS states one connector's status.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// The status.
    pub status: Status,
    /// The page that says so.
    pub listing: Listing,
    /// The connector's name on that page: `Amazon RDS (MySQL)`, `Asana (Preview)`.
    #[serde(rename = "as")]
    pub entry: String,
}

/// A connector entry's `status`, as written in `connectors.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StatusEntry {
    is: Status,
    listed_on: String,
    #[serde(rename = "as")]
    entry: String,
}

static LISTINGS: LazyLock<BTreeMap<String, Listing>> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../catalog/listings.json"))
        .unwrap_or_else(|e| panic!("catalog/listings.json: {e}"))
});

impl StatusEntry {
    /// The entry resolved against its listing; a panic names the connector when the entry
    /// names no listing, or a status its listing does not give.
    pub(crate) fn resolve(self, id: &str) -> Listed {
        let listing = LISTINGS
            .get(&self.listed_on)
            .unwrap_or_else(|| panic!("{id}: unknown listing {}", self.listed_on))
            .clone();
        let stated = if self.entry.ends_with("(Preview)") {
            Status::Preview
        } else {
            listing.status
        };
        assert_eq!(
            self.is, stated,
            "{id}: {} lists it as {:?}",
            listing.title, self.entry
        );
        Listed {
            status: self.is,
            listing,
            entry: self.entry,
        }
    }
}

impl Listed {
    /// AWS's words on a connector that is not current, for a warning: `None` for a current
    /// one. `today` (`2026-11-30`) says whether a support end date AWS gives has passed.
    pub fn warning(&self, id: &str, today: &str) -> Option<String> {
        let listing = &self.listing;
        let words = match self.status {
            Status::Current => return None,
            Status::Preview => format!(
                "{id} is a preview connector: AWS's \"{}\" page ({}) lists it as \"{}\"",
                listing.title, listing.page, self.entry
            ),
            Status::Legacy => format!(
                "{id} is a legacy connector: AWS's \"{}\" page ({}) lists \"{}\" under \"{}\"",
                listing.title, listing.page, self.entry, listing.words
            ),
        };
        let passed = listing
            .support_ends
            .as_deref()
            .is_some_and(|day| day < today);
        Some(if passed {
            format!(
                "{words} That date has passed: a role for it serves data sources that already exist."
            )
        } else {
            words
        })
    }
}

/// Today's date in UTC, `YYYY-MM-DD`, from the system clock.
pub fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(seconds / 86_400)
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: u64) -> String {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_match_the_calendar() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(59), "1970-03-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_604), "2026-05-31");
        assert_eq!(civil_date(20_787), "2026-11-30");
    }

    #[test]
    fn a_legacy_warning_quotes_the_page_and_says_when_support_ended() {
        let listed = StatusEntry {
            is: Status::Legacy,
            listed_on: "legacy-connectors".into(),
            entry: "Amazon RDS (MySQL)".into(),
        }
        .resolve("rds-mysql");
        let before = listed.warning("rds-mysql", "2026-05-31").unwrap();
        assert!(before.contains("\"Amazon RDS (MySQL)\" under \"The following connectors remain supported for existing customers but are no longer available for new onboarding."), "{before}");
        assert!(!before.contains("passed"), "{before}");
        let after = listed.warning("rds-mysql", "2026-06-01").unwrap();
        assert!(
            after.ends_with(
                "That date has passed: a role for it serves data sources that already exist."
            ),
            "{after}"
        );
    }

    #[test]
    #[should_panic(expected = "asana: Supported connectors lists it as \"Asana (Preview)\"")]
    fn a_status_its_listing_does_not_give_is_refused() {
        StatusEntry {
            is: Status::Current,
            listed_on: "supported-connectors".into(),
            entry: "Asana (Preview)".into(),
        }
        .resolve("asana");
    }
}
