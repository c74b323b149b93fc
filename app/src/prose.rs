//! Lesson prose as HTML. The course's Markdown is rendered when the app is built (`build.rs` runs
//! `markdown.rs` over `Unit::markdown_texts`), so the app looks the HTML up by the text's hash
//! instead of carrying a Markdown parser.

use batchlab_core::lesson::fnv1a64;

include!(concat!(env!("OUT_DIR"), "/prose.rs"));

/// The HTML of a Markdown text of the course. A text the build did not see (which the embedded
/// course cannot produce) is shown as escaped plain text rather than lost.
pub fn to_html(markdown: &str) -> String {
    let hash = fnv1a64(markdown);
    match PROSE_HTML.binary_search_by_key(&hash, |(h, _)| *h) {
        Ok(at) => PROSE_HTML[at].1.to_string(),
        Err(_) => {
            let escaped = markdown
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            format!("<p>{escaped}</p>")
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::course::course;

    #[test]
    fn every_markdown_text_of_the_course_was_rendered_at_build_time() {
        let units = &course().0.as_ref().expect("the course loads").units;
        let mut texts = 0;
        for unit in units {
            for text in unit.markdown_texts() {
                assert_eq!(
                    super::to_html(text),
                    crate::markdown::to_html(text),
                    "{}: {text:?}",
                    unit.file
                );
                texts += 1;
            }
        }
        assert!(texts > 100, "{texts}");
    }

    #[test]
    fn a_text_the_build_did_not_see_is_shown_escaped() {
        assert_eq!(
            super::to_html("not in <the> course & so"),
            "<p>not in &lt;the&gt; course &amp; so</p>"
        );
    }
}
