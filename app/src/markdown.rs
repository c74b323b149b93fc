//! Lesson prose from Markdown to HTML. Raw HTML in a lesson file is escaped, never executed: lesson
//! files are data, and a unit must not be able to run script in a learner's browser.

use pulldown_cmark::{html, Event, Options, Parser};

pub fn to_html(markdown: &str) -> String {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
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
}
