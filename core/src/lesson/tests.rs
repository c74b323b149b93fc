use super::*;

const UNIT: &str = r#"---
id: first-job
title: Your first Job
summary: Run to completion.
minutes: 30
objectives:
  - Write a Job
reflection:
  - When did a task of yours need to finish, not keep running?
---

Intro text.

More intro.

```yaml
apiVersion: batch/v1
kind: Job
```

## Writing it {#write}

Some prose.

```exercise
id: hello-job
title: Say hello
task: Add the restart policy.
starter: |
  apiVersion: batch/v1
  kind: Job
solution: |
  apiVersion: batch/v1
  kind: Job
hints:
  - Look at `spec.template.spec.restartPolicy`.
goals:
  - valid: true
  - field: spec.template.spec.restartPolicy == Never
```

## Check yourself

```quiz
id: why-never
prompt: Why Never?
choices:
  - text: Each attempt stays inspectable
    correct: true
  - text: It is faster
explanation: A failed pod is kept.
```

```checklist
id: ready
title: Ready?
items:
  can-write: I can write a Job
  can-read: I can read its status
```

```confidence
id: confidence
statements:
  write: I can write a Job
ifAllHigh: Go on.
ifAnyLow: Re-read the first section.
review:
  write: write
```
"#;

fn parse(text: &str) -> (Option<Unit>, Vec<Diagnostic>) {
    parse_unit("units/u.md", text)
}

#[test]
fn a_unit_parses_into_sections_and_blocks() {
    let (unit, problems) = parse(UNIT);
    assert!(problems.is_empty(), "{problems:#?}");
    let unit = unit.unwrap();
    assert_eq!(unit.meta.id, "first-job");
    assert_eq!(unit.meta.objectives, vec!["Write a Job"]);
    let ids: Vec<&str> = unit.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, vec!["intro", "write", "check-yourself"]);
    assert_eq!(unit.sections[1].title, "Writing it");
    // The yaml example stays in the prose, fences included.
    let Block::Markdown { text } = &unit.sections[0].blocks[0] else {
        panic!("intro starts with prose")
    };
    assert!(
        text.contains("```yaml\napiVersion: batch/v1\nkind: Job\n```\n"),
        "{text}"
    );
    let exercise = unit.exercise("hello-job").unwrap();
    assert_eq!(exercise.goals.len(), 2);
    assert_eq!(exercise.starter, "apiVersion: batch/v1\nkind: Job\n");
    assert_eq!(exercise.starter_hash, fnv1a64(&exercise.starter));
    assert_eq!(exercise.line, 25);
    assert!(unit
        .blocks()
        .any(|b| matches!(b, Block::Quiz(q) if q.choices.len() == 2)));
    let checklist = unit
        .blocks()
        .find_map(|b| match b {
            Block::Checklist(c) => Some(c),
            _ => None,
        })
        .unwrap();
    assert_eq!(checklist.items[1].id, "can-read");
    let confidence = unit
        .blocks()
        .find_map(|b| match b {
            Block::Confidence(c) => Some(c),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        confidence.review,
        vec![("write".to_string(), "write".to_string())]
    );
}

#[test]
fn fnv1a64_matches_the_published_test_vectors() {
    assert_eq!(fnv1a64(""), 0xcbf29ce484222325);
    assert_eq!(fnv1a64("a"), 0xaf63dc4c8601ec8c);
    assert_eq!(fnv1a64("foobar"), 0x85944171f73967e8);
}

#[test]
fn a_yaml_error_inside_a_block_is_reported_at_the_unit_file_line() {
    // The exercise block opens on line 25; its `title` is on line 27, and the YAML reader reports
    // the unclosed `[` where it finds out: at the next key, line 28 column 5.
    let text = UNIT.replace("title: Say hello", "title: [unclosed");
    let (unit, problems) = parse(&text);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = &problems[0];
    assert!(
        p.message.starts_with("this `exercise` block is not valid"),
        "{}",
        p.message
    );
    assert!(!p.message.contains(" at line "), "{}", p.message);
    assert_eq!((p.span.line, p.span.column), (28, 5));
    // The broken block is left out; the rest of the unit loads.
    let unit = unit.unwrap();
    assert!(unit.exercise("hello-job").is_none());
    assert!(unit.blocks().any(|b| matches!(b, Block::Quiz(_))));
}

#[test]
fn an_unknown_exercise_key_is_named_at_its_line() {
    let text = UNIT.replace("task: Add", "taks: Add");
    let (_, problems) = parse(&text);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].message.contains("unknown field `taks`"),
        "{}",
        problems[0].message
    );
    assert_eq!(problems[0].span.line, 28);
}

#[test]
fn a_bad_goal_is_reported_at_the_goals_line() {
    let text = UNIT.replace("  - field: spec.template", "  - feild: spec.template");
    let (_, problems) = parse(&text);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = &problems[0];
    assert!(
        p.message.starts_with(
            "goal 2 of exercise `hello-job`: unknown goal key `feild` (did you mean `field`?)"
        ),
        "{}",
        p.message
    );
    assert_eq!(p.span.line, 39);
}

#[test]
fn a_bad_front_matter_field_is_reported_at_its_file_line() {
    let (unit, problems) = parse("---\nid: x\ntitel: T\nsummary: s\nminutes: 3\n---\nbody");
    assert!(unit.is_none());
    assert!(
        problems[0].message.contains("unknown field `titel`"),
        "{}",
        problems[0].message
    );
    assert_eq!(problems[0].span.line, 3);
}

#[test]
fn a_missing_front_matter_or_closing_line_is_reported() {
    let (_, problems) = parse("# no front matter\n");
    assert!(problems[0].message.contains("must start with a `---` line"));
    let (_, problems) = parse("---\nid: x\n");
    assert!(problems[0].message.contains("never closed"));
}

#[test]
fn a_top_level_heading_is_reported_at_its_line_but_one_inside_an_example_is_not() {
    let text = "---\nid: u\ntitle: T\nsummary: s\nminutes: 1\n---\n\n# T\n\ntext\n\n```yaml\n# a YAML comment\nkind: Job\n```\n";
    let (unit, problems) = parse(text);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        problems[0].message,
        "a `# ` heading repeats the unit's title, which the page already shows from `title`; start a section with `## `"
    );
    assert_eq!(problems[0].span.line, 8);
    // The heading is left out of the prose; the example keeps its comment.
    let prose = format!("{:?}", unit.expect("unit").sections);
    assert!(!prose.contains("# T\\n"), "{prose}");
    assert!(prose.contains("# a YAML comment"), "{prose}");
}

#[test]
fn an_unclosed_block_is_reported_at_its_fence() {
    let text = "---\nid: u\ntitle: T\nsummary: s\nminutes: 1\n---\n\ntext\n\n```quiz\nid: q\n";
    let (_, problems) = parse(text);
    assert_eq!(problems.len(), 1);
    assert!(problems[0].message.contains("`quiz` block is never closed"));
    assert_eq!(problems[0].span.line, 10);
}

#[test]
fn a_quiz_without_a_correct_choice_is_refused() {
    let text = UNIT.replace("    correct: true\n", "");
    let (_, problems) = parse(&text);
    assert!(
        problems[0]
            .message
            .contains("no choice marked `correct: true`"),
        "{problems:#?}"
    );
}

#[test]
fn a_short_answer_question_accepts_its_answers_ignoring_case() {
    let text = "---\nid: u\ntitle: T\nsummary: s\nminutes: 1\n---\n```quiz\nid: q\nprompt: Default backoffLimit?\nanswers: ['6']\nexplanation: Six.\n```\n";
    let (unit, problems) = parse(text);
    assert!(problems.is_empty(), "{problems:#?}");
    let unit = unit.unwrap();
    let Some(Block::Quiz(q)) = unit.blocks().next() else {
        panic!("a quiz")
    };
    assert!(q.accepts(" 6 "));
    assert!(!q.accepts("7"));
}

#[test]
fn duplicate_ids_are_reported() {
    let text = UNIT.replace("id: ready", "id: why-never");
    // A checklist and a quiz may share an id (different kinds); two quizzes may not.
    let twice = format!(
        "{text}\n```quiz\nid: why-never\nprompt: again\nanswers: [x]\nexplanation: x\n```\n"
    );
    let (_, problems) = parse(&twice);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0]
        .message
        .contains("quiz id `why-never` is used more than once"));
}

#[test]
fn ids_must_be_url_friendly() {
    let text = UNIT.replace("id: hello-job", "id: Hello_Job");
    let (_, problems) = parse(&text);
    assert!(
        problems[0]
            .message
            .contains("exercise id `Hello_Job` must be lowercase"),
        "{problems:#?}"
    );
}

#[test]
fn a_missing_unit_file_is_reported_and_the_rest_still_load() {
    let (course, problems) = load_course("title: C\nunits:\n  - a.md\n  - gone.md\n", |f| {
        (f == "a.md").then(|| "---\nid: a\ntitle: A\nsummary: s\nminutes: 1\n---\nx".to_string())
    });
    assert_eq!(course.unwrap().units.len(), 1);
    assert_eq!(problems.len(), 1);
    assert!(problems[0].diagnostic.message.contains("gone.md"));
    assert_eq!(problems[0].diagnostic.span.line, 4);
}

#[test]
fn an_exercise_id_used_in_two_units_is_reported() {
    let (course, problems) = load_course("title: C\nunits: [a.md, b.md]\n", |f| {
        Some(UNIT.replace("id: first-job", &format!("id: unit-{}", &f[..1])))
    });
    assert_eq!(course.unwrap().units.len(), 2);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].file, "b.md");
    assert!(problems[0]
        .diagnostic
        .message
        .contains("exercise id `hello-job` is used more than once"));
}

#[test]
fn a_huge_file_is_refused_without_parsing() {
    let text = format!("---\nid: u\n---\n{}", "x".repeat(MAX_FILE_BYTES));
    let (unit, problems) = parse(&text);
    assert!(unit.is_none());
    assert!(problems[0].message.contains("at most"));
}

// ---- batchlab check --------------------------------------------------------------------------

fn one_exercise_course(exercise: &str) -> check::CheckReport {
    let unit = format!(
        "---\nid: u\ntitle: T\nsummary: s\nminutes: 1\n---\n\n```exercise\n{exercise}```\n"
    );
    check::check_course("title: C\nunits: [u.md]\n", |_| Some(unit.clone()))
}

const GOOD: &str = "id: limit
title: Limit retries
task: Set `spec.backoffLimit` to 2 or less.
starter: |
  kind: Job
  spec: {}
solution: |
  kind: Job
  spec:
    backoffLimit: 2
goals:
  - field: spec.backoffLimit <= 2
";

#[test]
fn check_accepts_an_exercise_whose_solution_passes_and_starter_fails() {
    let report = one_exercise_course(GOOD);
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!((report.exercises, report.goals), (1, 1));
}

#[test]
fn check_reports_a_solution_that_fails_a_goal() {
    let report = one_exercise_course(&GOOD.replace("backoffLimit: 2", "backoffLimit: 5"));
    assert!(report.has_errors());
    let d = &report.problems[0].diagnostic;
    assert_eq!(d.span.line, 8);
    assert_eq!(
        d.message,
        "exercise `limit`: the reference solution fails goal 1 (`spec.backoffLimit` is at most 2.): `spec.backoffLimit` is 5; the goal wants at most 2"
    );
}

#[test]
fn check_reports_a_starter_that_already_passes() {
    let report = one_exercise_course(&GOOD.replace("  spec: {}", "  spec: {backoffLimit: 1}"));
    assert!(report.problems[0]
        .diagnostic
        .message
        .contains("the starter already meets every goal"));
    let marked = GOOD.replace("  spec: {}", "  spec: {backoffLimit: 1}") + "starterPasses: true\n";
    assert!(one_exercise_course(&marked).problems.is_empty());
}

#[test]
fn check_reports_field_paths_that_do_not_exist() {
    let report = one_exercise_course(&GOOD.replace(
        "task: Set `spec.backoffLimit`",
        "task: Set `spec.backofLimit`",
    ));
    let d = &report.problems[0].diagnostic;
    assert!(
        d.message
            .contains("has no field `spec.backofLimit` (did you mean `backoffLimit`?)"),
        "{}",
        d.message
    );
}

#[test]
fn an_unquoted_sentence_with_a_colon_gets_a_helpful_message() {
    let text = UNIT.replace(
        "  - Look at `spec.template.spec.restartPolicy`.",
        "  - Hint: look at `spec.template.spec.restartPolicy`.",
    );
    let (_, problems) = parse(&text);
    assert!(
        problems[0].message.contains("put the text in quotes"),
        "{}",
        problems[0].message
    );
    assert_eq!(problems[0].span.line, 36);
}

#[test]
fn check_reports_unknown_lint_codes() {
    let report = one_exercise_course(&GOOD.replace("goals:\n", "goals:\n  - lint: BL-RES-01\n"));
    let messages: Vec<&str> = report
        .problems
        .iter()
        .map(|p| p.diagnostic.message.as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`BL-RES-01` is not a lint rule (did you mean `BL-RES-001`?)")),
        "{messages:#?}"
    );
}

#[test]
fn a_duplicate_section_id_is_reported_at_its_heading() {
    let text = UNIT.replace("## Check yourself", "## Check yourself {#write}");
    let (_, problems) = parse(&text);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0]
        .message
        .contains("two sections have the id `write`"));
    assert_eq!(problems[0].span.line, 42);
}
