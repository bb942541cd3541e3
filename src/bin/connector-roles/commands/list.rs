//! `connector-roles list`: every documented connector, its shape, its optional parts and its
//! page's title; the revisions of a page that was revised.

use connector_roles::catalog;

use crate::failure::{self, Done, Failure};

/// Prints the table.
pub fn run() -> Result<Done, Failure> {
    failure::print(&table())?;
    Ok(Done::Success)
}

/// One line per connector under a header, columns aligned.
pub fn table() -> String {
    let rows: Vec<[String; 4]> = catalog::all()
        .iter()
        .map(|connector| {
            let parts: Vec<&str> = connector.parts().iter().map(|p| p.name()).collect();
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
    let header = ["CONNECTOR", "SHAPE", "OPTIONAL PARTS", "AWS PAGE"].map(str::to_owned);
    let width = |column: usize| {
        rows.iter()
            .chain([&header])
            .map(|row| row[column].len())
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2)];
    let mut table = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        table.push_str(&format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {}\n",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        ));
    }
    table
}
