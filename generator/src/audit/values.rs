//! One list of values sorted against its documented counterpart: the actions, resources or
//! principals of a statement, or the values of a condition. Both kinds of finding are worded
//! by the caller; which values are missing, extra, wider or moved is decided here alone.

use super::finding::FindingKind;
use super::grant::Text;
use super::pattern::covers;

/// How a role's value matches a documented one.
#[derive(Debug, Clone, Copy)]
pub struct Matching {
    /// Whether case is ignored (action names).
    pub ignore_case: bool,
    /// Whether a value's `*` and `?` are wildcards (everything but the `...Equals` condition
    /// operators).
    pub wildcards: bool,
}

/// A role's value that is not one of the documented values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// An expression that could not be resolved, described.
    Unresolved(String),
    /// A wildcard that matches the `covered` documented values and more.
    Covering { value: String, covered: Vec<String> },
    /// A value that matches no documented value.
    Extra(String),
}

/// A documented value that the role has with another account ID, region or partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// [`FindingKind::WrongAccount`], [`FindingKind::WrongRegion`] or
    /// [`FindingKind::WrongPartition`].
    pub kind: FindingKind,
    /// The documented value.
    pub documented: String,
    /// The role's.
    pub found: String,
}

impl Moved {
    /// What differs: `account`, `region` or `partition`.
    pub fn what(&self) -> &'static str {
        match self.kind {
            FindingKind::WrongAccount => "account",
            FindingKind::WrongRegion => "region",
            _ => "partition",
        }
    }
}

/// The role's values sorted against the documented ones.
#[derive(Debug, Default)]
pub struct Sorted {
    /// Documented values the role neither has nor covers, nor has moved.
    pub missing: Vec<String>,
    /// The role's values that are not documented, in the role's order ([`Found::Extra`]
    /// holds none that is [`Moved`]).
    pub found: Vec<Found>,
    /// Documented values the role has with another account, region or partition.
    pub moved: Vec<Moved>,
}

/// Sorts the `found` values against the `documented` ones.
pub fn sort(documented: &[Text], found: &[Text], matching: Matching) -> Sorted {
    let equal = |a: &str, b: &str| {
        if matching.ignore_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    let covering = |wider: &str, narrower: &str| {
        matching.wildcards && covers(wider, narrower, matching.ignore_case)
    };
    let documented: Vec<&str> = documented.iter().filter_map(Text::known).collect();
    let known: Vec<&str> = found.iter().filter_map(Text::known).collect();
    let mut sorted = Sorted {
        missing: documented
            .iter()
            .filter(|d| !known.iter().any(|f| equal(f, d) || covering(f, d)))
            .map(|d| (*d).to_owned())
            .collect(),
        ..Sorted::default()
    };
    for value in found {
        let value = match value {
            Text::Known(value) => value,
            Text::Unresolved(what) => {
                sorted.found.push(Found::Unresolved(what.clone()));
                continue;
            }
        };
        if documented.iter().any(|d| equal(d, value)) {
            continue;
        }
        let covered: Vec<String> = documented
            .iter()
            .filter(|d| covering(value, d))
            .map(|d| (*d).to_owned())
            .collect();
        sorted.found.push(if covered.is_empty() {
            Found::Extra(value.clone())
        } else {
            Found::Covering {
                value: value.clone(),
                covered,
            }
        });
    }
    sorted.pair_moved();
    sorted
}

impl Sorted {
    /// Takes each missing value that an extra one repeats with another account, region or
    /// partition out of both lists, as a [`Moved`] value.
    fn pair_moved(&mut self) {
        let mut i = 0;
        while i < self.missing.len() {
            let moved = self
                .found
                .iter()
                .enumerate()
                .find_map(|(j, found)| match found {
                    Found::Extra(value) => {
                        difference(&self.missing[i], value).map(|kind| (j, kind))
                    }
                    _ => None,
                });
            let Some((j, kind)) = moved else {
                i += 1;
                continue;
            };
            let Found::Extra(found) = self.found.remove(j) else {
                unreachable!("only extra values move")
            };
            self.moved.push(Moved {
                kind,
                documented: self.missing.remove(i),
                found,
            });
        }
    }
}

/// How `found` differs from `documented` when it is the same string with another account ID,
/// or the same ARN with another region or partition.
fn difference(documented: &str, found: &str) -> Option<FindingKind> {
    let accounts = |text: &str| -> (String, Vec<String>) {
        let mut shape = String::new();
        let mut runs = Vec::new();
        let mut digits = String::new();
        for c in text.chars().chain(std::iter::once('\0')) {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            if digits.len() == 12 {
                runs.push(std::mem::take(&mut digits));
                shape.push('#');
            } else {
                shape.push_str(&std::mem::take(&mut digits));
            }
            shape.push(c);
        }
        (shape, runs)
    };
    let (d_shape, d_runs) = accounts(documented);
    let (f_shape, f_runs) = accounts(found);
    if !d_runs.is_empty() && d_shape == f_shape && d_runs != f_runs {
        return Some(FindingKind::WrongAccount);
    }
    let d: Vec<&str> = documented.splitn(6, ':').collect();
    let f: Vec<&str> = found.splitn(6, ':').collect();
    if d.len() != 6 || f.len() != 6 || d[0] != "arn" || f[0] != "arn" {
        return None;
    }
    let differing: Vec<usize> = (1..6).filter(|i| d[*i] != f[*i]).collect();
    match differing.as_slice() {
        [1] => Some(FindingKind::WrongPartition),
        [3] => Some(FindingKind::WrongRegion),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(values: &[&str]) -> Vec<Text> {
        values
            .iter()
            .map(|v| Text::Known((*v).to_owned()))
            .collect()
    }

    #[test]
    fn values_sort_into_missing_covering_extra_and_moved() {
        let documented = texts(&[
            "s3:GetObject",
            "s3:PutObject",
            "arn:aws:kms:us-east-1:111122223333:key/k",
            "kms:Decrypt",
        ]);
        let mut found = texts(&[
            "S3:GETOBJECT",
            "s3:Put*",
            "arn:aws:kms:us-west-2:111122223333:key/k",
            "iam:PassRole",
        ]);
        found.push(Text::Unresolved("!GetAtt X.Arn".into()));
        let matching = Matching {
            ignore_case: true,
            wildcards: true,
        };
        let sorted = sort(&documented, &found, matching);
        assert_eq!(sorted.missing, ["kms:Decrypt"]);
        assert_eq!(
            sorted.found,
            [
                Found::Covering {
                    value: "s3:Put*".into(),
                    covered: vec!["s3:PutObject".into()]
                },
                Found::Extra("iam:PassRole".into()),
                Found::Unresolved("!GetAtt X.Arn".into()),
            ]
        );
        assert_eq!(sorted.moved.len(), 1);
        assert_eq!(sorted.moved[0].what(), "region");
        let exact = Matching {
            ignore_case: false,
            wildcards: false,
        };
        let sorted = sort(&texts(&["a"]), &texts(&["*"]), exact);
        assert_eq!(sorted.missing, ["a"]);
        assert_eq!(sorted.found, [Found::Extra("*".into())]);
    }

    #[test]
    fn differences_of_one_field_are_recognised() {
        let arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:s";
        assert_eq!(
            difference(arn, &arn.replace("111122223333", "444455556666")),
            Some(FindingKind::WrongAccount)
        );
        assert_eq!(
            difference(arn, &arn.replace("us-east-1", "us-west-2")),
            Some(FindingKind::WrongRegion)
        );
        assert_eq!(
            difference(arn, &arn.replace("aws:", "aws-cn:")),
            Some(FindingKind::WrongPartition)
        );
        assert_eq!(
            difference("qbusiness_111122223333_a_*", "qbusiness_444455556666_a_*"),
            Some(FindingKind::WrongAccount)
        );
        assert_eq!(difference(arn, "arn:aws:s3:::b"), None);
    }
}
