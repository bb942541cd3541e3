//! Keys given twice in one JSON object. serde_json keeps the last value without a word, so a
//! spec's repeated tag or value would be lost silently; [`find`] walks the document once and
//! names every repeat, so the spec reader can refuse it.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// The path of every key that repeats an earlier key of its object (`tags.Team`,
/// `values.region`, `vpc.subnet_ids`), in document order; empty when there is none or the
/// text is not JSON (the spec reader reports that itself).
pub fn find(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let walk = Walk {
        path: String::new(),
        found: &mut found,
    };
    // A syntax error ends the walk; what was found before it is still reported.
    let _ = walk.deserialize(&mut serde_json::Deserializer::from_str(text));
    found
}

/// Visits one JSON value at `path`, recording repeated keys below it.
struct Walk<'a> {
    path: String,
    found: &'a mut Vec<String>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let found = self.found;
        let mut index = 0;
        loop {
            let element = Walk {
                path: format!("{}[{index}]", self.path),
                found: &mut *found,
            };
            if seq.next_element_seed(element)?.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let found = self.found;
        // A set: an object of 100,000 keys is checked in linear time.
        let mut keys = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            if keys.contains(&key) {
                found.push(path.clone());
            }
            map.next_value_seed(Walk {
                path,
                found: &mut *found,
            })?;
            keys.insert(key);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn names_each_repeat_by_its_path() {
        let text = r#"{ "name": "a", "tags": { "Team": "x", "Team": "y" },
            "vpc": { "subnet_ids": [{ "k": 1, "k": 2 }] }, "name": "b" }"#;
        assert_eq!(find(text), ["tags.Team", "vpc.subnet_ids[0].k", "name"]);
    }

    #[test]
    fn nothing_for_unique_keys_or_broken_json() {
        assert!(find(r#"{ "a": { "a": [1, 2.5, null, true, "a"] } }"#).is_empty());
        assert!(find("{ \"a\": ").is_empty());
        assert_eq!(find(r#"{ "a": 1, "a": 2, "#), ["a"]);
    }
}
