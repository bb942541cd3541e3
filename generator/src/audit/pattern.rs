//! IAM's wildcards: `*` matches any run of characters, `?` any one character. Actions are
//! matched without regard to case, ARNs and condition values with it.

/// Whether `pattern` matches all of `text`; a `?` in the pattern does not match a `*` in the
/// text, so that [`covers`] never claims a one-character wildcard covers a run.
pub fn matches(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let fold = |s: &str| -> Vec<char> {
        if ignore_case {
            s.to_lowercase().chars().collect()
        } else {
            s.chars().collect()
        }
    };
    let (pattern, text) = (fold(pattern), fold(text));
    // The classic two-pointer glob match, remembering the last `*` to backtrack to.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some('?') if text[t] != '*' => {
                p += 1;
                t += 1;
            }
            Some(c) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// Whether `wider` grants everything `narrower` grants and more: it matches `narrower`
/// (read as text) without being equal to it.
pub fn covers(wider: &str, narrower: &str, ignore_case: bool) -> bool {
    let equal = if ignore_case {
        wider.eq_ignore_ascii_case(narrower)
    } else {
        wider == narrower
    };
    !equal && matches(wider, narrower, ignore_case)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_runs_and_single_characters() {
        assert!(matches("s3:Get*", "s3:GetObject", false));
        assert!(matches("S3:get*", "s3:GetObject", true));
        assert!(!matches("S3:get*", "s3:GetObject", false));
        assert!(matches("arn:aws:s3:::*", "arn:aws:s3:::bucket/*", false));
        assert!(matches("a?c", "abc", false));
        assert!(!matches("a?c", "a*c", false));
        assert!(matches("*", "", false));
        assert!(!matches("a*b", "ac", false));
        assert!(matches("*a*b", "xxaxxb", false));
    }

    #[test]
    fn covering_is_strict() {
        assert!(covers("arn:aws:s3:::*", "arn:aws:s3:::bucket/*", false));
        assert!(!covers(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/*",
            false
        ));
        assert!(!covers("arn:aws:s3:::bucket/*", "arn:aws:s3:::*", false));
        assert!(covers("qbusiness:*", "qbusiness:PutGroup", true));
        assert!(!covers("QBUSINESS:PUTGROUP", "qbusiness:PutGroup", true));
    }
}
