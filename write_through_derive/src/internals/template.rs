//! Parsing a key template such as `"user:{id}"` or `"{{tenant}}:order:{tenant_id}:{id}"`.

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text written as is (`{{` and `}}` already unescaped).
    Literal(String),
    /// `{name}`: the value of a primary-key field.
    Field(String),
}

/// Splits a template into segments, checking only its own syntax (field names are checked
/// against the struct by the model).
pub fn parse_template(template: &str) -> Result<Vec<Segment>, String> {
    if template.is_empty() {
        return Err("the key template is empty; write e.g. key = \"user:{id}\"".into());
    }
    let mut segments = Vec::new();
    let mut literal = String::new();
    let mut chars = template.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|&(_, c)| c) == Some('{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek().map(|&(_, c)| c) == Some('}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some((_, '}')) => break,
                        Some((_, '{')) => {
                            return Err(format!(
                                "unbalanced braces in key template: `{{` at byte {at} is not closed before the next `{{`"
                            ));
                        }
                        Some((_, c)) => name.push(c),
                        None => {
                            return Err(format!(
                                "unbalanced braces in key template: `{{` at byte {at} is never closed (write `{{{{` for a literal brace)"
                            ));
                        }
                    }
                }
                let name = name.trim().to_owned();
                if name.is_empty() {
                    return Err("empty placeholder `{}` in key template: name a primary-key field, e.g. `{id}`".into());
                }
                if !literal.is_empty() {
                    segments.push(Segment::Literal(std::mem::take(&mut literal)));
                }
                segments.push(Segment::Field(name));
            }
            '}' => {
                return Err(format!(
                    "unbalanced braces in key template: `}}` at byte {at} has no opening `{{` (write `}}}}` for a literal brace)"
                ));
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        segments.push(Segment::Literal(literal));
    }
    if matches!(segments.first(), Some(Segment::Literal(text)) if text.starts_with('#')) {
        return Err(
            "the key template cannot start with `#`, which begins the keys of unique indexes"
                .into(),
        );
    }
    if !matches!(segments.first(), Some(Segment::Literal(_))) {
        return Err(
            "the key template must start with fixed text that names the model, e.g. \"user:{id}\", so that two models never share keys".into(),
        );
    }
    check_separated(&segments)?;
    check_unique(&segments)?;
    Ok(segments)
}

/// Two placeholders must have a `:` between them: rendered values never contain a raw `:`, so
/// the separator makes the key decodable, and two different ids can never share a key.
fn check_separated(segments: &[Segment]) -> Result<(), String> {
    let mut previous_field: Option<&str> = None;
    for segment in segments {
        match segment {
            Segment::Field(name) => {
                if let Some(previous) = previous_field {
                    return Err(format!(
                        "`{{{previous}}}` and `{{{name}}}` need a `:` between them in the key template, so that no two ids render the same key"
                    ));
                }
                previous_field = Some(name);
            }
            Segment::Literal(text) if text.contains(':') => previous_field = None,
            Segment::Literal(_) => {}
        }
    }
    Ok(())
}

fn check_unique(segments: &[Segment]) -> Result<(), String> {
    let mut seen = Vec::new();
    for segment in segments {
        if let Segment::Field(name) = segment {
            if seen.contains(&name) {
                return Err(format!("`{{{name}}}` appears twice in the key template"));
            }
            seen.push(name);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(text: &str) -> Segment {
        Segment::Literal(text.into())
    }
    fn field(name: &str) -> Segment {
        Segment::Field(name.into())
    }

    #[test]
    fn literals_and_placeholders_alternate() {
        assert_eq!(
            parse_template("user:{id}"),
            Ok(vec![lit("user:"), field("id")])
        );
        assert_eq!(
            parse_template("m:{a}:{b}:x"),
            Ok(vec![lit("m:"), field("a"), lit(":"), field("b"), lit(":x")])
        );
    }

    #[test]
    fn doubled_braces_are_literal_braces() {
        assert_eq!(
            parse_template("{{shard}}:u:{id}"),
            Ok(vec![lit("{shard}:u:"), field("id")])
        );
    }

    #[test]
    fn unbalanced_braces_are_refused() {
        assert!(
            parse_template("user:{id")
                .unwrap_err()
                .contains("never closed")
        );
        assert!(
            parse_template("user:id}")
                .unwrap_err()
                .contains("no opening")
        );
        assert!(
            parse_template("user:{a{b}}")
                .unwrap_err()
                .contains("unbalanced")
        );
    }

    #[test]
    fn empty_templates_and_placeholders_are_refused() {
        assert!(parse_template("").unwrap_err().contains("empty"));
        assert!(
            parse_template("user:{}")
                .unwrap_err()
                .contains("empty placeholder")
        );
    }

    #[test]
    fn adjacent_placeholders_need_a_colon_between_them() {
        assert!(
            parse_template("x:{a}{b}")
                .unwrap_err()
                .contains("need a `:`")
        );
        assert!(
            parse_template("x:{a}-{b}")
                .unwrap_err()
                .contains("need a `:`")
        );
        assert!(parse_template("x:{a}-:{b}").is_ok());
    }
}

#[cfg(test)]
mod shape_tests {
    use super::parse_template;

    #[test]
    fn a_template_starts_with_fixed_text() {
        assert!(
            parse_template("{id}")
                .unwrap_err()
                .contains("start with fixed text")
        );
    }

    #[test]
    fn a_placeholder_appears_once() {
        assert!(parse_template("u:{id}:{id}").unwrap_err().contains("twice"));
    }
}
