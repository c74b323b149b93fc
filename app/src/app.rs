//! The app shell: the progress provider, the router, the header and footer, and a notice about stored
//! progress when there is one to give.

use crate::components::timeline::patterns;
use crate::route::{switch, Route};
use crate::state::{ProgressProvider, StartupNotice};
use yew::prelude::*;
use yew_router::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    html! {
        <HashRouter>
            <ProgressProvider>
                <a class="skip-link" href="#main" onclick={skip_to_main()}>{ "Skip to content" }</a>
                <header class="site-header">
                    <Link<Route> to={Route::Home} classes="brand">{ "Batch Lab" }</Link<Route>>
                    <nav aria-label="Site">
                        <Link<Route> to={Route::Home}>{ "Course" }</Link<Route>>
                        <Link<Route> to={Route::Playground}>{ "Playground" }</Link<Route>>
                        <Link<Route> to={Route::Progress}>{ "Your progress" }</Link<Route>>
                    </nav>
                </header>
                <Notice />
                <main id="main" class="content" tabindex="-1">
                    <Switch<Route> render={switch} />
                </main>
                <footer class="site-footer">
                    <p>{ "Batch Lab runs entirely in your browser; the cluster is simulated." }</p>
                </footer>
                { patterns() }
            </ProgressProvider>
        </HashRouter>
    }
}

/// The skip link must not change the hash (that is the router's): it moves focus instead.
fn skip_to_main() -> Callback<MouseEvent> {
    Callback::from(|e: MouseEvent| {
        e.prevent_default();
        if let Some(main) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("main"))
        {
            if let Some(main) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&main) {
                let _ = main.focus();
            }
        }
    })
}

#[function_component(Notice)]
fn notice() -> Html {
    let notice = use_context::<StartupNotice>().and_then(|n| n.0);
    let dismissed = use_state(|| false);
    match notice {
        Some(text) if !*dismissed => {
            let close = {
                let dismissed = dismissed.clone();
                Callback::from(move |_: MouseEvent| dismissed.set(true))
            };
            html! {
                <div class="notice startup-notice" role="alert">
                    <p>{ text }</p>
                    <button type="button" onclick={close}>{ "Dismiss" }</button>
                </div>
            }
        }
        _ => html! {},
    }
}
