//! Lesson prose from Markdown to HTML. Raw HTML in a lesson file is escaped, never executed: lesson
//! files are data, and a unit must not be able to run script in a learner's browser. YAML code
//! blocks are highlighted like the editor.

use crate::highlight;
use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

pub fn to_html(markdown: &str) -> String {
    let mut in_yaml: Option<String> = None;
    let mut events = Vec::new();
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    ) {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang)))
                if matches!(lang.as_ref(), "yaml" | "yml") =>
            {
                in_yaml = Some(String::new())
            }
            Event::Text(text) if in_yaml.is_some() => {
                if let Some(code) = in_yaml.as_mut() {
                    code.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) if in_yaml.is_some() => {
                let code = in_yaml.take().unwrap_or_default();
                let body = highlight::to_html(code.trim_end_matches('\n'));
                events.push(Event::Html(CowStr::from(format!(
                    "<pre class=\"code-block\" tabindex=\"0\"><code class=\"language-yaml\">{body}</code></pre>\n"
                ))));
            }
            other => events.push(other),
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn raw_html_is_escaped() {
        let html = super::to_html("hi <script>alert(1)</script>");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn yaml_blocks_are_highlighted_and_escaped() {
        let html = super::to_html("```yaml\nkind: Job # <b>\n```\n");
        assert!(
            html.contains("<span class=\"tok-key\">kind</span>"),
            "{html}"
        );
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
    }
}
