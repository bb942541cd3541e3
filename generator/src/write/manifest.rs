//! The manifest each output folder holds: the SHA-256 of every file the tool wrote there.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

/// The manifest's file name in each output folder.
pub const MANIFEST: &str = ".connector-roles-manifest.json";

/// Each file's known hashes, by path relative to the output folder.
pub(crate) type Known = BTreeMap<String, BTreeSet<String>>;

/// The SHA-256 of `bytes`, in lowercase hexadecimal.
pub(crate) fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The hashes a manifest lists; a manifest that is not one lists none, so that every file
/// it claimed is treated as not ours.
pub(crate) fn parse(bytes: &[u8]) -> Known {
    let json: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_default();
    let files = json.get("files").and_then(serde_json::Value::as_object);
    files
        .into_iter()
        .flatten()
        .map(|(file, hashes)| {
            let hashes = match hashes {
                serde_json::Value::String(one) => BTreeSet::from([one.clone()]),
                many => many
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|h| h.as_str().map(str::to_owned))
                    .collect(),
            };
            (file.clone(), hashes)
        })
        .collect()
}

/// The manifest: one hash per file as a string, several (during a write) as a list.
pub(crate) fn text(files: &Known) -> String {
    let files: serde_json::Map<String, serde_json::Value> = files
        .iter()
        .map(|(file, hashes)| {
            let value = match hashes.len() {
                1 => serde_json::json!(hashes.first()),
                _ => serde_json::json!(hashes),
            };
            (file.clone(), value)
        })
        .collect();
    let manifest = serde_json::json!({
        "generated_by": "connector-roles",
        "note": "SHA-256 of each file connector-roles wrote here; it overwrites only these.",
        "files": files,
    });
    serde_json::to_string_pretty(&manifest).expect("JSON serializes") + "\n"
}
