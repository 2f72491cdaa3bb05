//! Route matching and handler resolution (seed: Lua handlers for Wraith twins). A request
//! matches a `[[routes]]` entry of `wraith.toml` (method and `:param` pattern), or is classified
//! by REST convention; its handler is the route's `lua_hook`, else the first handler file whose
//! name the seed's tables give for the state op and entity, or for a sub-resource the HTTP
//! method and the last path segment.

use std::collections::BTreeMap;

use crate::config::{RouteConfig, Template};

/// A state operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// POST /orders.
    Create,
    /// GET /orders/:id.
    Read,
    /// PUT or PATCH /orders/:id.
    Update,
    /// DELETE /orders/:id.
    Delete,
    /// GET /orders.
    List,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s.to_ascii_lowercase().as_str() {
            "create" => Op::Create,
            "read" | "get" => Op::Read,
            "update" => Op::Update,
            "delete" => Op::Delete,
            "list" => Op::List,
            _ => return None,
        })
    }
}

/// What a request resolved to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resolved {
    /// Route parameters (`:id` → value).
    pub params: BTreeMap<String, String>,
    /// Entity type (`orders`).
    pub entity: Option<String>,
    /// State op, when the route has one.
    pub op: Option<Op>,
    /// Last path segment of a sub-resource route (`invoice`).
    pub sub: Option<String>,
    /// The route's explicit handler.
    pub lua_hook: Option<String>,
    /// The route's static response.
    pub template: Option<Template>,
}

struct Compiled {
    method: String,
    segments: Vec<String>,
    config: RouteConfig,
}

/// The routes of one twin.
pub struct Router {
    routes: Vec<Compiled>,
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn is_version(seg: &str) -> bool {
    seg.len() > 1 && seg.starts_with('v') && seg[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Classify a path shape by REST convention: `[entity]`, `[entity, id]`, `[entity, id, seg…]`
/// (a leading version segment such as `v1` is skipped). `param(i)` names the id parameter.
fn classify(method: &str, segs: &[&str], param: impl Fn(usize) -> String) -> Resolved {
    let start = usize::from(segs.first().is_some_and(|s| is_version(s)));
    let segs = &segs[start..];
    let mut r = Resolved::default();
    let Some(entity) = segs.first() else {
        return r;
    };
    r.entity = Some((*entity).to_owned());
    match (segs.len(), method) {
        (1, "GET") => r.op = Some(Op::List),
        (1, "POST") => r.op = Some(Op::Create),
        (2, "GET") => r.op = Some(Op::Read),
        (2, "PUT" | "PATCH") => r.op = Some(Op::Update),
        (2, "DELETE") => r.op = Some(Op::Delete),
        (n, _) if n >= 3 => r.sub = segs.last().map(|s| (*s).to_owned()),
        _ => {}
    }
    if segs.len() >= 2 {
        r.params.insert(param(start + 1), segs[1].to_owned());
    }
    r
}

impl Router {
    /// Routes from `wraith.toml`.
    pub fn new(routes: &[RouteConfig]) -> Router {
        Router {
            routes: routes
                .iter()
                .map(|c| Compiled {
                    method: c.method.to_ascii_uppercase(),
                    segments: segments(&c.path).into_iter().map(str::to_owned).collect(),
                    config: c.clone(),
                })
                .collect(),
        }
    }

    /// Resolve a request: the first listed route whose method and pattern match, else the REST
    /// convention.
    pub fn resolve(&self, method: &str, path: &str) -> Resolved {
        let segs = segments(path);
        for route in &self.routes {
            if route.method != method || route.segments.len() != segs.len() {
                continue;
            }
            let mut params = BTreeMap::new();
            let matched =
                route
                    .segments
                    .iter()
                    .zip(&segs)
                    .all(|(pat, seg)| match pat.strip_prefix(':') {
                        Some(name) => {
                            params.insert(name.to_owned(), (*seg).to_owned());
                            true
                        }
                        None => pat == seg,
                    });
            if !matched {
                continue;
            }
            let pattern: Vec<&str> = route.segments.iter().map(String::as_str).collect();
            let mut r = classify(method, &pattern, |i| {
                route.segments[i]
                    .strip_prefix(':')
                    .unwrap_or("id")
                    .to_owned()
            });
            r.params = params;
            if let Some(e) = &route.config.entity {
                r.entity = Some(e.clone());
            }
            if let Some(op) = route.config.op.as_deref().and_then(Op::parse) {
                r.op = Some(op);
                r.sub = None;
            }
            r.lua_hook = route.config.lua_hook.clone();
            r.template = route.config.template.clone();
            return r;
        }
        classify(method, &segs, |_| "id".to_owned())
    }
}

/// The singular of an entity name (`orders` → `order`, `categories` → `category`).
pub fn singular(plural: &str) -> String {
    if let Some(stem) = plural.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for end in ["sses", "xes", "ches", "shes", "zes"] {
        if plural.ends_with(end) {
            return plural[..plural.len() - 2].to_owned();
        }
    }
    match plural.strip_suffix('s') {
        Some(stem) if !plural.ends_with("ss") => stem.to_owned(),
        _ => plural.to_owned(),
    }
}

/// Handler names to try for a resolved request, in the seed's order.
pub fn candidates(method: &str, r: &Resolved) -> Vec<String> {
    if let Some(hook) = &r.lua_hook {
        return vec![hook.clone()];
    }
    let name = |s: &str| s.replace('-', "_");
    if let (Some(op), Some(entity)) = (r.op, &r.entity) {
        let p = name(entity);
        let s = singular(&p);
        let with =
            |verbs: &[&str], n: &str| verbs.iter().map(|v| format!("{v}_{n}")).collect::<Vec<_>>();
        return match op {
            Op::Create => with(&["create", "add", "new", "post"], &s),
            Op::Read => with(&["get", "read", "show", "fetch"], &s),
            Op::Update => with(&["update", "patch", "edit", "put"], &s),
            Op::Delete => with(&["delete", "remove", "destroy"], &s),
            Op::List => vec![
                format!("list_{p}"),
                format!("list_{s}"),
                format!("index_{p}"),
                p.clone(),
            ],
        };
    }
    let Some(seg) = &r.sub else {
        return Vec::new();
    };
    let seg = name(seg);
    let verbs: &[&str] = match method {
        "GET" => &["get", "show", "read", "fetch"],
        "POST" => &["create", "post", "add", "new"],
        "PUT" | "PATCH" => &["update", "patch", "edit", "put"],
        "DELETE" => &["delete", "remove", "destroy"],
        _ => &[],
    };
    verbs.iter().map(|v| format!("{v}_{seg}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(method: &str, path: &str, op: Option<&str>, hook: Option<&str>) -> RouteConfig {
        RouteConfig {
            method: method.into(),
            path: path.into(),
            entity: None,
            op: op.map(Into::into),
            lua_hook: hook.map(Into::into),
            template: None,
        }
    }

    #[test]
    fn rest_convention_and_seed_tables() {
        let router = Router::new(&[]);
        let r = router.resolve("POST", "/v1/orders");
        assert_eq!(
            (r.entity.as_deref(), r.op),
            (Some("orders"), Some(Op::Create))
        );
        assert_eq!(
            candidates("POST", &r)[..2],
            ["create_order".to_string(), "add_order".into()]
        );
        let r = router.resolve("GET", "/orders/ord_1");
        assert_eq!(r.params["id"], "ord_1");
        assert_eq!(candidates("GET", &r)[0], "get_order");
        assert_eq!(
            candidates("GET", &router.resolve("GET", "/orders")),
            ["list_orders", "list_order", "index_orders", "orders"]
        );
        assert_eq!(
            candidates("PATCH", &router.resolve("PATCH", "/orders/1"))[0],
            "update_order"
        );
        assert_eq!(
            candidates("DELETE", &router.resolve("DELETE", "/orders/1"))[2],
            "destroy_order"
        );
        let r = router.resolve("GET", "/orders/1/invoice");
        assert_eq!(
            candidates("GET", &r),
            [
                "get_invoice",
                "show_invoice",
                "read_invoice",
                "fetch_invoice"
            ]
        );
        assert_eq!(
            candidates("POST", &router.resolve("POST", "/orders/1/submit"))[1],
            "post_submit"
        );
        assert_eq!(singular("categories"), "category");
        assert_eq!(singular("boxes"), "box");
        assert_eq!(singular("address"), "address");
    }

    #[test]
    fn listed_routes_win_and_hooks_win_over_names() {
        let router = Router::new(&[
            route("POST", "/carts/:cart/checkout", None, Some("checkout")),
            route("GET", "/me", Some("read"), None),
        ]);
        let r = router.resolve("POST", "/carts/c9/checkout");
        assert_eq!(r.params["cart"], "c9");
        assert_eq!(candidates("POST", &r), ["checkout"]);
        let r = router.resolve("GET", "/me");
        assert_eq!((r.entity.as_deref(), r.op), (Some("me"), Some(Op::Read)));
        assert!(router.resolve("PUT", "/").entity.is_none());
    }
}
