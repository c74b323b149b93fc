//! The routes. Routing is by URL hash (`#/unit/first-job/exercise/hello`), so every deep link works
//! on any static host, under any sub-path.

use crate::pages::{
    home::Home, playground::Playground, progress_page::ProgressPage, unit::UnitPage,
};
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Clone, Routable, PartialEq, Debug)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/unit/:id")]
    Unit { id: String },
    #[at("/unit/:id/section/:section")]
    Section { id: String, section: String },
    #[at("/unit/:id/exercise/:exercise")]
    Exercise { id: String, exercise: String },
    #[at("/playground")]
    Playground,
    #[at("/playground/example/:id")]
    Example { id: String },
    #[at("/playground/:data")]
    Shared { data: String },
    #[at("/progress")]
    Progress,
    #[not_found]
    #[at("/404")]
    NotFound,
}

pub fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Unit { id } => html! { <UnitPage id={id} /> },
        Route::Section { id, section } => {
            html! { <UnitPage id={id} target={format!("sec-{section}")} /> }
        }
        Route::Exercise { id, exercise } => {
            html! { <UnitPage id={id} target={format!("ex-{exercise}")} /> }
        }
        Route::Playground => html! { <Playground /> },
        Route::Example { id } => html! { <Playground key={id.as_str()} example={id.clone()} /> },
        Route::Shared { data } => html! { <Playground data={data} /> },
        Route::Progress => html! { <ProgressPage /> },
        Route::NotFound => html! {
            <>
                <h1>{ "Page not found" }</h1>
                <p><Link<Route> to={Route::Home}>{ "Back to the course" }</Link<Route>></p>
            </>
        },
    }
}
