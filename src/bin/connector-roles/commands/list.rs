//! `connector-roles list`: every documented connector, its status as AWS states it, its shape,
//! its optional parts and its page's title; the revisions of a page that was revised. As a
//! table, or as JSON for scripts and editors.

use clap::Args;
use connector_roles::catalog::{self, Connector, Policies};
use connector_roles::status::Status;
use serde_json::{Value, json};

use crate::failure::{self, Done, Failure};

#[derive(Args)]
pub struct ListArgs {
    /// How to print the catalog.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
    /// Only the connectors with these statuses (repeatable, or comma-separated).
    #[arg(long, value_enum, value_delimiter = ',')]
    status: Vec<StatusArg>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ListFormat {
    Table,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum StatusArg {
    Current,
    Preview,
    Legacy,
}

impl StatusArg {
    fn status(self) -> Status {
        match self {
            StatusArg::Current => Status::Current,
            StatusArg::Preview => Status::Preview,
            StatusArg::Legacy => Status::Legacy,
        }
    }
}

/// Prints the connectors asked for.
pub fn run(args: &ListArgs) -> Result<Done, Failure> {
    let wanted: Vec<Status> = args.status.iter().map(|s| s.status()).collect();
    let connectors: Vec<&Connector> = catalog::all()
        .iter()
        .filter(|c| wanted.is_empty() || wanted.contains(&c.listed.status))
        .collect();
    let text = match args.format {
        ListFormat::Table => table(&connectors),
        ListFormat::Json => {
            let all: Vec<Value> = connectors.iter().map(|c| entry(c)).collect();
            let mut text = serde_json::to_string_pretty(&all).expect("JSON values serialize");
            text.push('\n');
            text
        }
    };
    failure::print(&text)?;
    Ok(Done::Success)
}

/// The names of the optional parts of `parts`.
fn part_names(parts: &[catalog::Part]) -> Vec<&'static str> {
    parts.iter().map(|p| p.name()).collect()
}

/// One connector as JSON: what the table shows, and each revision's page, shape and parts.
fn entry(connector: &Connector) -> Value {
    let revision = |policies: &Policies| {
        json!({
            "name": policies.revision,
            "title": policies.title,
            "page": policies.page,
            "shape": policies.shape,
            "optional_parts": part_names(&policies.parts()),
        })
    };
    let listed = &connector.listed;
    json!({
        "id": connector.id,
        "title": connector.title,
        "page": connector.page,
        "service": connector.service(),
        "status": listed.status,
        "status_source": {
            "title": listed.listing.title,
            "page": listed.listing.page,
            "words": listed.listing.words,
            "as": listed.entry,
            "support_ends": listed.listing.support_ends,
        },
        "shape": connector.shape,
        "optional_parts": part_names(&connector.parts()),
        "default_revision": connector.revisions[0].revision,
        "revisions": connector
            .revisions
            .iter()
            .filter(|p| p.revision.is_some())
            .map(revision)
            .collect::<Vec<_>>(),
    })
}

/// One line per connector under a header, columns aligned; the optional parts are the
/// default revision's.
fn table(connectors: &[&Connector]) -> String {
    let rows: Vec<[String; 5]> = connectors
        .iter()
        .map(|connector| {
            let parts = part_names(&connector.revisions[0].parts());
            let revisions = connector.revision_names();
            let title = if revisions.len() > 1 {
                format!(
                    "{} (revisions: {} (default), {})",
                    connector.title,
                    revisions[0],
                    revisions[1..].join(", ")
                )
            } else {
                connector.title.clone()
            };
            [
                connector.id.clone(),
                connector.listed.status.to_string(),
                connector.shape.clone(),
                if parts.is_empty() {
                    "-".to_owned()
                } else {
                    parts.join(",")
                },
                title,
            ]
        })
        .collect();
    let header = ["CONNECTOR", "STATUS", "SHAPE", "OPTIONAL PARTS", "AWS PAGE"].map(str::to_owned);
    let width = |column: usize| {
        rows.iter()
            .chain([&header])
            .map(|row| row[column].len())
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2), width(3)];
    let mut table = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        for (cell, width) in row.iter().zip(widths) {
            table.push_str(&format!("{cell:<width$}  "));
        }
        table.push_str(&row[4]);
        table.push('\n');
    }
    table
}
