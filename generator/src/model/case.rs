//! Case conversions, in one place: spec names (`orders-mysql`), field names
//! (`input_bucket_name`) and type names (`OrdersMySql`) into the identifiers each format uses.

/// `orders-mysql` or `input_bucket_name` in PascalCase: `OrdersMysql`, `InputBucketName`.
pub fn pascal(name: &str) -> String {
    name.split(['-', '_'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// `orders-mysql` in snake_case: `orders_mysql`.
pub fn snake(name: &str) -> String {
    name.replace('-', "_")
}

/// `OrdersMySql` in kebab-case: `orders-my-sql` (`RDSOrders`: `rds-orders`); the spec name a
/// declared role gets without `name`.
pub fn kebab(ident: &str) -> String {
    let chars: Vec<char> = ident.chars().collect();
    let mut out = String::with_capacity(ident.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            out.push('-');
            continue;
        }
        let boundary = c.is_ascii_uppercase()
            && i > 0
            && (chars[i - 1].is_ascii_lowercase()
                || chars[i - 1].is_ascii_digit()
                || chars.get(i + 1).is_some_and(char::is_ascii_lowercase)
                    && chars[i - 1].is_ascii_uppercase());
        if boundary && !out.ends_with('-') {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `text` with its first character in upper case (`AccountId`, `Name of ...`).
pub fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// `text` with its first ASCII letter in lower case (`accountId`): camelCase from PascalCase.
pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_ascii_lowercase().to_string() + chars.as_str()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(pascal("orders-mysql"), "OrdersMysql");
        assert_eq!(pascal("input_bucket_name"), "InputBucketName");
        assert_eq!(snake("orders-mysql"), "orders_mysql");
        assert_eq!(kebab("OrdersMySql"), "orders-my-sql");
        assert_eq!(kebab("RDSOrders"), "rds-orders");
        assert_eq!(kebab("Orders2Db"), "orders2-db");
        assert_eq!(lower_first("OrdersMysqlRole"), "ordersMysqlRole");
        assert_eq!(upper_first("name of the role"), "Name of the role");
    }
}
