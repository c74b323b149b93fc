//! The routes and the pages behind them. Routing is by URL hash so every deep link works on any
//! static host, under any sub-path.

use crate::{course::course, markdown};
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Clone, Routable, PartialEq)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/unit/:id")]
    Unit { id: String },
    #[not_found]
    #[at("/404")]
    NotFound,
}

#[function_component(App)]
pub fn app() -> Html {
    html! {
        <HashRouter>
            <header class="site-header">
                <Link<Route> to={Route::Home} classes="brand">{ "Batch Lab" }</Link<Route>>
            </header>
            <main id="main" class="content">
                <Switch<Route> render={switch} />
            </main>
        </HashRouter>
    }
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Unit { id } => html! { <UnitPage {id} /> },
        Route::NotFound => html! { <p>{ "There is no page here." }</p> },
    }
}

#[function_component(Home)]
fn home() -> Html {
    let (course, problems) = course();
    let Some(course) = course else {
        return html! { <CourseProblems /> };
    };
    html! {
        <>
            <h1>{ &course.title }</h1>
            if !problems.is_empty() { <CourseProblems /> }
            <ol class="unit-list">
                { for course.units.iter().map(|u| html! {
                    <li class="unit-card">
                        <Link<Route> to={Route::Unit { id: u.meta.id.clone() }}>{ &u.meta.title }</Link<Route>>
                        <p>{ &u.meta.summary }</p>
                        <p class="muted">{ format!("{} min", u.meta.minutes) }</p>
                    </li>
                }) }
            </ol>
        </>
    }
}

#[function_component(CourseProblems)]
fn course_problems() -> Html {
    let (_, problems) = course();
    html! {
        <section class="problems" role="alert">
            <h2>{ "Some lesson files have problems" }</h2>
            <ul>
                { for problems.iter().map(|p| html! {
                    <li>{ format!("{}:{}: {}", p.file, p.diagnostic.span.line, p.diagnostic.message) }</li>
                }) }
            </ul>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct UnitProps {
    id: String,
}

#[function_component(UnitPage)]
fn unit_page(props: &UnitProps) -> Html {
    let unit = course()
        .0
        .as_ref()
        .and_then(|c| c.units.iter().find(|u| u.meta.id == props.id));
    let Some(unit) = unit else {
        return html! { <p>{ format!("There is no unit called `{}`.", props.id) }</p> };
    };
    let body = Html::from_html_unchecked(AttrValue::from(markdown::to_html(&unit.body)));
    html! {
        <article class="unit">
            <p class="muted">{ format!("{} min", unit.meta.minutes) }</p>
            <div class="prose">{ body }</div>
        </article>
    }
}
