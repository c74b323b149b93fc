//! Lesson prose from Markdown to HTML. Raw HTML in a lesson file is escaped, never executed: lesson
//! files are data, and a unit must not be able to run script in a learner's browser. YAML code
//! blocks are highlighted like the editor.
//!
//! This runs when the app is built (`build.rs` includes this file and renders every Markdown text
//! of the course), and in the app's tests; the app itself only looks the HTML up (`prose.rs`).

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
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => events.push(Event::Start(Tag::Link {
                link_type,
                dest_url: safe_url(dest_url),
                title,
                id,
            })),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => events.push(Event::Start(Tag::Image {
                link_type,
                dest_url: safe_url(dest_url),
                title,
                id,
            })),
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

/// A link target that cannot run script: `javascript:`, `vbscript:` and `data:` URLs become `#`.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let scheme: String = url
        .trim_start()
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    if ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|bad| scheme.starts_with(bad))
    {
        CowStr::from("#")
    } else {
        url
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn script_urls_become_harmless_and_course_links_stay() {
        let html = super::to_html(
            "[a](javascript:alert(1)) [b]( JavaScript:alert(1)) ![c](data:text/html;base64,x) [d](#/playground/example/oom-killed) [e](https://kubernetes.io/docs/)",
        );
        assert!(!html.to_ascii_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(
            html.contains("href=\"#/playground/example/oom-killed\""),
            "{html}"
        );
        assert!(
            html.contains("href=\"https://kubernetes.io/docs/\""),
            "{html}"
        );
    }

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
