//! Instantiating a generic signature at one call: the type parameters of `first<T>(xs: {T}): T?`
//! or `map<T, U>(xs: {T}, f: (T) -> U): {U}` are bound by unifying each parameter's type with
//! its argument's, then substituted into the parameters (to check the arguments) and the
//! returns (the call's value).
//!
//! A parameter met in a covariant position (`{T}`, a return of a callback) binds from the
//! arguments' types joined ([`crate::join`]); one met only in a contravariant position (a
//! callback's parameter) binds from those; one met nowhere is `any`. A bound (`<T: Bound>`) is
//! checked against the binding. There is no call-site syntax for type arguments (wippy-facts
//! §1.2: generic calls are inferred).

use crate::join::join;
use crate::manifest::map_type;
use crate::relation::{Mismatch, Relation};
use crate::types::{FunctionType, Literal, Type, TypeParam};

/// Deepest nesting unification follows.
const MAX_DEPTH: u8 = 8;

/// The bindings of one call's type parameters, as they are found.
pub struct Inference {
    params: Vec<TypeParam>,
    /// The argument being unified is loose (see [`Candidate::loose`]).
    loose: bool,
    covariant: Vec<Vec<Candidate>>,
    contravariant: Vec<Vec<Candidate>>,
}

/// A type a parameter was met with.
#[derive(Clone)]
struct Candidate {
    ty: Type,
    /// Met inside a structure (`{T}`, a field, a callback): the shape of a container, which
    /// the bare values (`T`, `T | integer`) must fit.
    shape: bool,
    /// From an argument whose type is only what the walk saw (a table built in code), not a
    /// declaration.
    loose: bool,
}

/// The solved bindings: each type parameter's type.
#[derive(Clone, Debug, Default)]
pub struct Solution {
    bound: Vec<(String, Type)>,
}

/// A binding that does not satisfy its parameter's bound.
#[derive(Clone, Debug)]
pub struct BoundViolation {
    /// The type parameter (`T`).
    pub param: String,
    /// What it was bound to.
    pub binding: Type,
    /// Its bound.
    pub bound: Type,
    /// Why the binding does not fit the bound.
    pub mismatch: Mismatch,
}

impl Inference {
    /// Start inferring the type parameters of `f`.
    pub fn new(f: &FunctionType) -> Self {
        let n = f.type_params.len();
        Inference {
            params: f.type_params.clone(),
            loose: false,
            covariant: vec![Vec::new(); n],
            contravariant: vec![Vec::new(); n],
        }
    }

    /// Whether the signature has type parameters at all.
    pub fn is_generic(&self) -> bool {
        !self.params.is_empty()
    }

    /// Learn from an argument of type `arg` passed for a parameter of type `param` (`rel`
    /// resolves named types). `loose`: the argument's type is only what the walk saw of a
    /// table built in code (a local without annotation, a table literal), so it does not
    /// constrain the other arguments.
    pub fn argument(&mut self, rel: &Relation<'_>, param: &Type, arg: &Type, loose: bool) {
        if self.is_generic() {
            self.loose = loose;
            self.unify(rel, param, arg, true, false, 0);
        }
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name == name)
    }

    fn unify(
        &mut self,
        rel: &Relation<'_>,
        p: &Type,
        a: &Type,
        covariant: bool,
        shape: bool,
        depth: u8,
    ) {
        if depth > MAX_DEPTH || matches!(a, Type::Any | Type::Unknown | Type::Never) {
            return;
        }
        // Into a structure's part, and through a wrapper (`T?`, `T | integer`).
        let go =
            |me: &mut Self, p: &Type, a: &Type| me.unify(rel, p, a, covariant, true, depth + 1);
        let wrap =
            |me: &mut Self, p: &Type, a: &Type| me.unify(rel, p, a, covariant, shape, depth + 1);
        if let Type::Param(name) = p {
            if let Some(i) = self.index(name) {
                let t = match a {
                    Type::Literal(Literal::Boolean(_))
                    | Type::Literal(Literal::String(_))
                    | Type::Literal(Literal::Integer(_))
                    | Type::Literal(Literal::Number(_)) => a.widen(),
                    _ => a.clone(),
                };
                let list = if covariant {
                    &mut self.covariant[i]
                } else {
                    &mut self.contravariant[i]
                };
                let loose = self.loose;
                list.push(Candidate {
                    ty: t,
                    shape,
                    loose,
                });
            }
            return;
        }
        if !mentions_params(p) {
            return;
        }
        let resolved;
        let a = match (p, a) {
            (Type::Named(_), _) => a,
            (_, Type::Named(_)) => match rel.alias(a) {
                Some(t) => {
                    resolved = t;
                    &resolved
                }
                None => return,
            },
            _ => a,
        };
        match (p, a) {
            (Type::Optional(pi), _) => wrap(self, pi, &a.non_nil()),
            (Type::Array(pe), Type::Array(ae)) => go(self, pe, ae),
            (Type::Array(pe), Type::Map(ak, av))
                if matches!(**ak, Type::Integer | Type::Number) =>
            {
                go(self, pe, av)
            }
            (Type::Map(pk, pv), Type::Map(ak, av)) => {
                go(self, pk, ak);
                go(self, pv, av);
            }
            (Type::Map(pk, pv), Type::Array(ae)) => {
                go(self, pk, &Type::Integer);
                go(self, pv, ae);
            }
            (Type::Map(pk, pv), Type::Record(r)) if r.closed() && !r.fields.is_empty() => {
                go(self, pk, &Type::String);
                go(self, pv, &join(r.fields.iter().map(|f| f.read_type())));
            }
            (Type::Record(pr), Type::Record(ar)) => {
                for pf in &pr.fields {
                    if let Some(af) = ar.field(&pf.name) {
                        go(self, &pf.ty, &af.ty);
                    }
                }
            }
            (Type::Function(pf), Type::Function(af)) => {
                for (pp, ap) in pf.params.iter().zip(&af.params) {
                    self.unify(rel, &pp.ty, &ap.ty, !covariant, true, depth + 1);
                }
                for (pr, ar) in pf.returns.iter().zip(&af.returns) {
                    go(self, pr, ar);
                }
            }
            (Type::Union(ps), _) => {
                let plain_fit = ps.iter().any(|m| !mentions_params(m) && rel.fits(a, m));
                if !plain_fit {
                    for m in ps.iter().filter(|m| mentions_params(m)) {
                        wrap(self, m, a);
                    }
                }
            }
            (Type::Named(pn), Type::Named(an))
                if pn.name == an.name && pn.module == an.module && pn.chunk == an.chunk =>
            {
                for (pa, aa) in pn.args.iter().zip(&an.args) {
                    go(self, pa, aa);
                }
            }
            _ => {}
        }
    }

    /// The bindings found so far (unbound parameters are `any`).
    pub fn solve(&self) -> Solution {
        let bound = self
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let found = if self.covariant[i].is_empty() {
                    &self.contravariant[i]
                } else {
                    &self.covariant[i]
                };
                // The shape of a declared container (`{Point}`) is what the bare values must
                // fit; a container built in code (whose element type is only what was seen)
                // takes anything.
                let shapes: Vec<Type> = found
                    .iter()
                    .filter(|c| c.shape && !c.loose && !built(&c.ty))
                    .map(|c| c.ty.clone())
                    .collect();
                let t = if found.is_empty() {
                    Type::Any
                } else if !shapes.is_empty() {
                    join(shapes)
                } else {
                    join(found.iter().map(|c| c.ty.clone()))
                };
                (p.name.clone(), t)
            })
            .collect();
        Solution { bound }
    }

    /// The bindings that do not satisfy their parameter's bound.
    pub fn violations(&self, rel: &Relation<'_>, solution: &Solution) -> Vec<BoundViolation> {
        let mut out = Vec::new();
        for (p, (_, binding)) in self.params.iter().zip(&solution.bound) {
            let Some(bound) = &p.bound else { continue };
            let bound = solution.apply(bound);
            if let Err(mismatch) = rel.relate(binding, &bound) {
                out.push(BoundViolation {
                    param: p.name.clone(),
                    binding: binding.clone(),
                    bound,
                    mismatch,
                });
            }
        }
        out
    }
}

impl Solution {
    /// `t` with the type parameters replaced by their bindings.
    pub fn apply(&self, t: &Type) -> Type {
        if self.bound.is_empty() || !mentions_params(t) {
            return t.clone();
        }
        map_type(t.clone(), &mut |t| match t {
            Type::Param(p) => self
                .bound
                .iter()
                .find(|(n, _)| **n == **p)
                .map(|(_, b)| b.clone()),
            _ => None,
        })
    }

    /// The binding of type parameter `name`.
    pub fn get(&self, name: &str) -> Option<&Type> {
        self.bound.iter().find(|(n, _)| n == name).map(|(_, t)| t)
    }
}

/// Whether `t` contains a table built in code (whose fields are what the walk saw).
fn built(t: &Type) -> bool {
    match t {
        Type::Record(r) => !r.closed() || r.fields.iter().any(|f| built(&f.ty)),
        Type::Optional(t) | Type::Array(t) => built(t),
        Type::Map(k, v) => built(k) || built(v),
        Type::Union(ts) | Type::Intersection(ts) => ts.iter().any(built),
        _ => false,
    }
}

/// Whether `t` mentions a type parameter anywhere.
pub fn mentions_params(t: &Type) -> bool {
    mentions(t, &|t| matches!(t, Type::Param(_)))
}

/// Whether a part of `t` (itself included) is one `leaf` accepts; reads `t` without rebuilding
/// it (cheaper than a `map_type` that changes nothing).
pub fn mentions(t: &Type, leaf: &impl Fn(&Type) -> bool) -> bool {
    let go = |t: &Type| mentions(t, leaf);
    if leaf(t) {
        return true;
    }
    match t {
        Type::Optional(t) | Type::Array(t) => go(t),
        Type::Map(k, v) => go(k) || go(v),
        Type::Union(ts) | Type::Intersection(ts) => ts.iter().any(go),
        Type::Record(r) => r.fields.iter().any(|f| go(&f.ty)),
        Type::Function(f) => {
            f.params.iter().any(|p| go(&p.ty))
                || f.returns.iter().any(go)
                || f.variadic.as_ref().is_some_and(go)
                || f.returns_variadic.as_ref().is_some_and(go)
        }
        Type::Named(n) => n.args.iter().any(go),
        _ => false,
    }
}
