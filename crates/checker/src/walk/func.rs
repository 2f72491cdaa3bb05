//! Function bodies: parameters (annotated, or typed by the signature the function is passed
//! to), generic parameters, and the function's type with its returns declared or inferred.

use full_moon::ast::{FunctionBody, Parameter};
use typedefs::{FunctionType, Param, Type};

use super::returns::{falls_through, Frame};
use super::{ident, span, LocalKind, Walker};

impl Walker<'_> {
    /// The signature a function body declares, without walking it: annotated parameters and
    /// returns, unannotated parameters `any?` (Lua lets a caller omit them), returns unknown
    /// unless annotated. A local function has this type while its own body is walked.
    pub(crate) fn signature_of(&self, body: &FunctionBody, self_ty: Option<Type>) -> Type {
        let paren = span(body.parameters_parentheses().tokens().0).start;
        let mut f = FunctionType {
            type_params: self.prep.generics.get(&paren).cloned().unwrap_or_default(),
            returns_variadic: Some(Type::Any),
            ..FunctionType::default()
        };
        if self_ty.is_some() {
            f.params.push(Param {
                name: Some("self".into()),
                ty: Type::SelfType,
            });
        }
        for p in body.parameters() {
            match p {
                Parameter::Name(tok) => f.params.push(Param {
                    name: Some(ident(tok).to_owned()),
                    ty: self.annotation(tok).unwrap_or_else(|| Type::Any.optional()),
                }),
                Parameter::Ellipsis(tok) => {
                    f.variadic = Some(self.annotation(tok).unwrap_or(Type::Any))
                }
                _ => {}
            }
        }
        if let Some((returns, variadic)) = self.prep.returns.get(&paren) {
            f.returns.clone_from(returns);
            f.returns_variadic.clone_from(variadic);
        }
        Type::function(f)
    }

    /// Walk a function body in a new scope; returns its type. `self_ty` declares an implicit
    /// `self` (for `function t:m()`); `expected` is the signature the function is passed to,
    /// which types its unannotated parameters.
    pub(crate) fn function_body(
        &mut self,
        body: &FunctionBody,
        self_ty: Option<Type>,
        expected: Option<&FunctionType>,
    ) -> Type {
        let paren = span(body.parameters_parentheses().tokens().0).start;
        let end = if self.env.index {
            span(body).end
        } else {
            u32::MAX
        };
        let outer = std::mem::replace(&mut self.end_hint, end);
        self.push_scope();
        self.frames.push(Frame {
            declared: self.prep.returns.get(&paren).cloned(),
            seen: Vec::new(),
        });
        let mut f = FunctionType {
            type_params: self.prep.generics.get(&paren).cloned().unwrap_or_default(),
            ..FunctionType::default()
        };
        if let Some(t) = self_ty {
            f.params.push(Param {
                name: Some("self".into()),
                ty: Type::SelfType,
            });
            let id = self.declare_named("self".into(), 0..0, t, LocalKind::Param, false);
            self.locals[id].used = true;
        }
        let offset = f.params.len();
        for (i, p) in body.parameters().iter().enumerate() {
            match p {
                Parameter::Name(tok) => {
                    let annotated = self.annotation(tok);
                    let is_annotated = annotated.is_some();
                    let from_context = expected
                        .and_then(|e| e.params.get(i + offset))
                        .map(|p| p.ty.clone())
                        .filter(|t| !matches!(t, Type::Param(_) | Type::SelfType));
                    let inside = annotated
                        .clone()
                        .or_else(|| from_context.clone())
                        .unwrap_or(Type::Any);
                    f.params.push(Param {
                        name: Some(ident(tok).to_owned()),
                        ty: annotated
                            .unwrap_or_else(|| from_context.unwrap_or(Type::Any).optional()),
                    });
                    self.declare_named(
                        ident(tok).to_owned(),
                        span(tok),
                        inside,
                        LocalKind::Param,
                        is_annotated,
                    );
                }
                Parameter::Ellipsis(tok) => {
                    f.variadic = Some(self.annotation(tok).unwrap_or(Type::Any))
                }
                _ => {}
            }
        }
        self.block_in_scope(body.block());
        let frame = self.frames.pop().unwrap_or_default();
        let (returns, returns_variadic) = frame.returns(falls_through(body.block()));
        f.returns = returns;
        f.returns_variadic = returns_variadic;
        self.pop_scope();
        self.end_hint = outer;
        Type::function(f)
    }
}
