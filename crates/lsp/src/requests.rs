//! The requests, answered from the last analysis of a document (never by checking on the
//! request path, but for completion on a receiver only a check can type, and the importers a
//! cross-file rename must read). Requests that edit or list the whole file — rename,
//! references, code actions, semantic tokens, inlay hints, folding, pull diagnostics — wait
//! for the analysis of the current text; the others use the last one, with positions mapped
//! through the edits since ([`Shift`]).

use std::collections::HashMap;
use std::ops::Range as Bytes;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;
use typedefs::ModuleSet;

use crate::analysis::{analyse, guarded, Analysis, Target};
use crate::complete::{self, Completion};
use crate::convert::{bytes, diagnostic, edit, path_of, pos, position, range, uri_of};
use crate::navigate::{self, Place, Subject};
use crate::resolve::{is_valid_name, word_at};
use crate::server::Backend;
use crate::text::{Encoding, Shift, Text};
use crate::workspace::{is_yaml, Config};
use crate::{actions, hints, hover, symbols, tokens, yaml};

/// How long a request waits for an analysis it needs.
const WAIT: Duration = Duration::from_secs(5);

/// A document as a request sees it: the current text and the analyses to answer from.
pub(crate) struct Here {
    path: PathBuf,
    text: Text,
    /// The last analysis (diagnostics, role, project).
    a: Arc<Analysis>,
    /// Analyses with an index, newest first.
    indexed: Vec<Arc<Analysis>>,
    enc: Encoding,
    config: Config,
    modules: &'static ModuleSet,
}

impl Here {
    /// The analyses with an index, newest first (the last, the last indexed, the last that
    /// parsed), each with its mapping to the text; the last analysis when none has one.
    fn analyses(&self) -> Vec<(&Analysis, Shift)> {
        let mut v: Vec<(&Analysis, Shift)> = self
            .indexed
            .iter()
            .map(|a| (&**a, Shift::between(a.text.as_str(), self.text.as_str())))
            .collect();
        if v.is_empty() {
            v.push((
                &*self.a,
                Shift::between(self.a.text.as_str(), self.text.as_str()),
            ));
        }
        v
    }

    fn offset(&self, p: Position) -> usize {
        self.text.offset(pos(p), self.enc)
    }

    /// A span of an analysis's text in the current text.
    fn map(&self, shift: &Shift, span: &Bytes<usize>) -> Bytes<usize> {
        shift.span_to_new(span).unwrap_or_else(|| {
            let s = shift.to_new(span.start);
            s..shift.to_new(span.end).max(s)
        })
    }

    fn range(&self, span: &Bytes<usize>) -> Range {
        range(&self.text, span, self.enc)
    }
}

impl Backend {
    /// The document at `uri`; with `fresh`, once its current text is analysed.
    pub(crate) async fn here(&self, uri: &Url, fresh: bool) -> Option<Here> {
        let path = path_of(uri)?;
        let (generation, enc, config, modules) = {
            let ws = self.shared.ws();
            let d = ws.docs.get(&path)?;
            (d.generation, ws.encoding, ws.config.clone(), ws.modules)
        };
        let latest = self
            .shared
            .latest(&path, fresh.then_some(generation), WAIT)
            .await?;
        let indexed = latest.candidates();
        let a = latest.last;
        let text = self.shared.ws().docs.get(&path)?.text.clone();
        Some(Here {
            path,
            text,
            a,
            indexed,
            enc,
            config,
            modules,
        })
    }

    /// A file's current text (open buffer, project copy or disk).
    fn read(&self, path: &Path) -> Option<Arc<str>> {
        self.shared.ws().text_of(path)
    }

    /// Run `targets` through the checker off the async threads.
    async fn analyse_all(&self, targets: Vec<Target>) -> Vec<Analysis> {
        let shared = self.shared.clone();
        let modules = shared.ws().modules;
        tokio::task::spawn_blocking(move || {
            targets
                .iter()
                .map(|t| analyse(t, modules, &shared.cache, true))
                .collect()
        })
        .await
        .unwrap_or_default()
    }

    fn location(&self, place: &Place) -> Option<Location> {
        let text = Text::new(self.read(&place.path)?);
        Some(Location {
            uri: uri_of(&place.path)?,
            range: range(&text, &place.span, self.shared.ws().encoding),
        })
    }

    pub(crate) async fn complete(&self, p: CompletionParams) -> Option<Vec<CompletionItem>> {
        let tp = p.text_document_position;
        let h = self.here(&tp.text_document.uri, false).await?;
        let offset = h.offset(tp.position);
        let trigger = p
            .context
            .as_ref()
            .filter(|c| c.trigger_kind == CompletionTriggerKind::TRIGGER_CHARACTER)
            .and_then(|c| c.trigger_character.clone());
        if is_yaml(&h.path) {
            if trigger.is_some() {
                return None;
            }
            let src = yaml::entry_source(h.text.as_str(), offset, &h.path);
            let exports = match src {
                Some(src) => self.exports_of(&h, &src).await,
                None => None,
            };
            return guarded(|| {
                yaml::complete(
                    h.a.project.as_deref(),
                    h.modules,
                    &h.path,
                    h.text.as_str(),
                    offset,
                    &|_| exports.clone(),
                )
            });
        }
        let analyses = h.analyses();
        let snippets = h.config.snippets;
        let completion = guarded(|| {
            complete::lua(
                h.modules,
                &analyses,
                h.text.as_str(),
                offset,
                trigger.as_deref(),
                snippets,
            )
        })?;
        match completion {
            Completion::Items(items) => Some(items),
            Completion::Nothing => None,
            Completion::Patch { text, hole, colon } => {
                let mut target = Target::of(&self.shared.ws(), &h.path)?;
                target.text = Text::new(text);
                let a = self.analyse_all(vec![target]).await.pop()?;
                guarded(|| complete::patched_members(h.modules, &a, hole, colon, snippets))
            }
        }
    }

    /// What the Lua file `src` returns (for `method:` completion in YAML).
    async fn exports_of(&self, h: &Here, src: &Path) -> Option<typedefs::Type> {
        if let Some(a) = self.shared.ws().good.get(src) {
            return a.exports.clone();
        }
        let project = h.a.project.clone()?;
        let t = Target::of_file(&self.shared.ws(), &project, src)?;
        self.analyse_all(vec![t]).await.pop()?.exports
    }

    pub(crate) async fn hover_at(&self, tp: TextDocumentPositionParams) -> Option<Hover> {
        let h = self.here(&tp.text_document.uri, false).await?;
        let offset = h.offset(tp.position);
        let value = h
            .analyses()
            .iter()
            .find_map(|(a, shift)| guarded(|| hover::hover(h.modules, a, shift.to_old(offset)))?)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: None,
        })
    }

    pub(crate) async fn signature_at(
        &self,
        tp: TextDocumentPositionParams,
    ) -> Option<SignatureHelp> {
        let h = self.here(&tp.text_document.uri, false).await?;
        let offset = h.offset(tp.position);
        guarded(|| hover::signature(h.modules, &h.analyses(), h.text.as_str(), offset))?
    }

    pub(crate) async fn definition_at(&self, tp: TextDocumentPositionParams) -> Option<Location> {
        let h = self.here(&tp.text_document.uri, false).await?;
        let offset = h.offset(tp.position);
        if is_yaml(&h.path) {
            let read = |p: &Path| self.read(p).map(|t| t.to_string());
            let place = guarded(|| yaml::definition(&h.path, h.text.as_str(), offset, &read))??;
            return self.location(&place);
        }
        let read = |p: &Path| self.read(p);
        for (a, shift) in h.analyses() {
            let found = guarded(|| navigate::definition(a, &h.path, shift.to_old(offset), &read));
            let Some(place) = found.flatten() else {
                continue;
            };
            if place.path == h.path {
                return Some(Location {
                    uri: tp.text_document.uri.clone(),
                    range: h.range(&h.map(&shift, &place.span)),
                });
            }
            return self.location(&place);
        }
        None
    }

    /// Every place naming what is at `tp` (fresh analyses of this file, the library and its
    /// importers), grouped by file with the text the spans are in, and the declaration.
    async fn occurrences(
        &self,
        tp: &TextDocumentPositionParams,
    ) -> Option<(Vec<(PathBuf, Text, Vec<Bytes<usize>>)>, Option<Place>)> {
        let h = self.here(&tp.text_document.uri, true).await?;
        let offset = h.offset(tp.position);
        let shift = Shift::between(h.a.text.as_str(), h.text.as_str());
        let (subject, _) = guarded(|| navigate::subject_at(&h.a, &h.path, shift.to_old(offset)))??;
        let index = h.a.index.clone()?;
        match subject {
            Subject::Local(id) => {
                let decl = &index.locals[id].decl;
                let decl = Place {
                    path: h.path.clone(),
                    span: decl.start as usize..decl.end as usize,
                };
                let spans = navigate::local_occurrences(&index, id);
                Some((vec![(h.path.clone(), h.a.text.clone(), spans)], Some(decl)))
            }
            Subject::Export { lib, name } => {
                let project = h.a.project.clone()?;
                let importers = navigate::importers(&project, &lib);
                let mut files: Vec<PathBuf> = vec![lib.clone()];
                files.extend(importers.iter().map(|(p, _)| p.clone()));
                let mut out = Vec::new();
                let mut decl = None;
                for a in self.fresh_analyses(&project, files).await {
                    let Some(ix) = a.1.index.as_deref() else {
                        continue;
                    };
                    let spans = if a.0 == lib {
                        decl = navigate::export_definition(ix, &name).map(|span| Place {
                            path: lib.clone(),
                            span,
                        });
                        navigate::library_occurrences(a.1.text.as_str(), ix, &name)
                    } else {
                        let aliases = importers
                            .iter()
                            .find(|(p, _)| *p == a.0)
                            .map(|(_, al)| al.clone())
                            .unwrap_or_default();
                        navigate::importer_occurrences(&a.1, ix, &aliases, &name)
                    };
                    if !spans.is_empty() {
                        out.push((a.0, a.1.text.clone(), spans));
                    }
                }
                Some((out, decl))
            }
        }
    }

    /// Analyses of the current texts of `files` (open ones as the worker made them).
    async fn fresh_analyses(
        &self,
        project: &Arc<project::Project>,
        files: Vec<PathBuf>,
    ) -> Vec<(PathBuf, Arc<Analysis>)> {
        let mut out = Vec::new();
        let mut closed = Vec::new();
        for f in files {
            let generation = self.shared.ws().docs.get(&f).map(|d| d.generation);
            match generation {
                Some(g) => {
                    if let Some(l) = self.shared.latest(&f, Some(g), WAIT).await {
                        out.push((f, l.last));
                    }
                }
                None => {
                    if let Some(t) = Target::of_file(&self.shared.ws(), project, &f) {
                        closed.push(t);
                    }
                }
            }
        }
        for a in self.analyse_all(closed).await {
            out.push((a.path.clone(), Arc::new(a)));
        }
        out
    }

    pub(crate) async fn references_at(
        &self,
        tp: TextDocumentPositionParams,
        include_declaration: bool,
    ) -> Option<Vec<Location>> {
        let enc = self.shared.ws().encoding;
        let (groups, decl) = self.occurrences(&tp).await?;
        let mut out = Vec::new();
        for (path, text, spans) in groups {
            let uri = uri_of(&path)?;
            for s in spans {
                let is_decl = decl.as_ref().is_some_and(|d| d.path == path && d.span == s);
                if is_decl && !include_declaration {
                    continue;
                }
                out.push(Location {
                    uri: uri.clone(),
                    range: range(&text, &s, enc),
                });
            }
        }
        Some(out)
    }

    pub(crate) async fn prepare_rename_at(
        &self,
        tp: TextDocumentPositionParams,
    ) -> Option<PrepareRenameResponse> {
        let h = self.here(&tp.text_document.uri, false).await?;
        let offset = h.offset(tp.position);
        let (start, end) = word_at(h.text.as_str(), offset)?;
        let name = &h.text.as_str()[start..end];
        if !is_valid_name(name) {
            return None;
        }
        h.analyses().iter().find_map(|(a, shift)| {
            guarded(|| navigate::subject_at(a, &h.path, shift.to_old(offset)))??;
            Some(PrepareRenameResponse::RangeWithPlaceholder {
                range: h.range(&(start..end)),
                placeholder: name.to_owned(),
            })
        })
    }

    pub(crate) async fn rename_at(
        &self,
        tp: TextDocumentPositionParams,
        name: &str,
    ) -> Result<Option<WorkspaceEdit>> {
        if !is_valid_name(name) {
            return Err(Error::invalid_params(format!(
                "`{name}` is not a valid Lua name (a letter or `_`, then letters, digits or `_`; not a keyword)"
            )));
        }
        let enc = self.shared.ws().encoding;
        let Some((groups, _)) = self.occurrences(&tp).await else {
            return Ok(None);
        };
        let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
        for (path, text, spans) in groups {
            let Some(uri) = uri_of(&path) else { continue };
            changes
                .entry(uri)
                .or_default()
                .extend(spans.iter().map(|s| edit(&text, s, name.to_owned(), enc)));
        }
        Ok(Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }))
    }

    pub(crate) async fn highlight_at(
        &self,
        tp: TextDocumentPositionParams,
    ) -> Option<Vec<DocumentHighlight>> {
        let h = self.here(&tp.text_document.uri, false).await?;
        let offset = h.offset(tp.position);
        for (a, shift) in h.analyses() {
            let Some(index) = a.index.as_deref() else {
                continue;
            };
            let found =
                guarded(|| hints::highlight(index, a, shift.to_old(offset))).unwrap_or_default();
            if !found.is_empty() {
                return Some(
                    found
                        .into_iter()
                        .map(|(s, kind)| DocumentHighlight {
                            range: h.range(&h.map(&shift, &s)),
                            kind: Some(kind),
                        })
                        .collect(),
                );
            }
        }
        None
    }

    pub(crate) async fn document_symbols(&self, uri: &Url) -> Option<DocumentSymbolResponse> {
        let h = self.here(uri, false).await?;
        let (syms, shift) = if is_yaml(&h.path) {
            let p = h.a.project.as_deref()?;
            let shift = Shift::between(h.a.text.as_str(), h.text.as_str());
            (
                guarded(|| symbols::yaml(p, &h.path, h.a.text.as_str()))?,
                shift,
            )
        } else {
            let (a, shift) = h.analyses().into_iter().find(|(a, _)| a.index.is_some())?;
            let index = a.index.as_deref()?;
            (guarded(|| symbols::lua(index))?, shift)
        };
        if h.config.hierarchical_symbols {
            #[allow(deprecated)]
            fn convert(h: &Here, shift: &Shift, s: symbols::Sym) -> DocumentSymbol {
                DocumentSymbol {
                    name: s.name,
                    detail: (!s.detail.is_empty()).then_some(s.detail),
                    kind: s.kind,
                    tags: None,
                    deprecated: None,
                    range: h.range(&h.map(shift, &s.range)),
                    selection_range: h.range(&h.map(shift, &s.selection)),
                    children: Some(
                        s.children
                            .into_iter()
                            .map(|c| convert(h, shift, c))
                            .collect(),
                    ),
                }
            }
            return Some(DocumentSymbolResponse::Nested(
                syms.into_iter().map(|s| convert(&h, &shift, s)).collect(),
            ));
        }
        let mut flat = Vec::new();
        symbols::flatten(syms, None, &mut flat);
        #[allow(deprecated)]
        let out = flat
            .into_iter()
            .map(|(s, container)| SymbolInformation {
                name: s.name,
                kind: s.kind,
                tags: None,
                deprecated: None,
                location: Location {
                    uri: uri.clone(),
                    range: h.range(&h.map(&shift, &s.range)),
                },
                container_name: container.or((!s.detail.is_empty()).then_some(s.detail)),
            })
            .collect();
        Some(DocumentSymbolResponse::Flat(out))
    }

    pub(crate) fn workspace_symbols(&self, query: &str) -> Vec<SymbolInformation> {
        let (projects, enc) = {
            let ws = self.shared.ws();
            let p: Vec<_> = ws.roots.iter().map(|r| r.project.clone()).collect();
            (p, ws.encoding)
        };
        let mut out = Vec::new();
        for p in projects {
            for (id, kind, yaml_path, span, lua) in symbols::workspace(&p, query) {
                let Some(text) = p.files.find(&yaml_path).and_then(|i| p.files.get(i)) else {
                    continue;
                };
                let Some(uri) = uri_of(&yaml_path) else {
                    continue;
                };
                #[allow(deprecated)]
                out.push(SymbolInformation {
                    name: id,
                    kind: if lua {
                        SymbolKind::FUNCTION
                    } else {
                        SymbolKind::OBJECT
                    },
                    tags: None,
                    deprecated: None,
                    location: Location {
                        uri,
                        range: range(&Text::new(text.text.clone()), &span, enc),
                    },
                    container_name: Some(kind),
                });
            }
        }
        out
    }

    pub(crate) async fn code_actions(&self, uri: &Url, r: Range) -> Option<CodeActionResponse> {
        let h = self.here(uri, true).await?;
        let shift = Shift::between(h.a.text.as_str(), h.text.as_str());
        let want = bytes(&h.text, &r, h.enc);
        let want = shift.to_old(want.start)..shift.to_old(want.end);
        let read = |p: &Path| self.read(p);
        let mut out = Vec::new();
        for act in guarded(|| actions::actions(&h.a, &h.path, want, &read))? {
            let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
            for e in &act.edits {
                let (text, span) = if e.path == h.path {
                    (h.text.clone(), h.map(&shift, &e.range))
                } else {
                    (Text::new(self.read(&e.path)?), e.range.clone())
                };
                changes.entry(uri_of(&e.path)?).or_default().push(edit(
                    &text,
                    &span,
                    e.text.clone(),
                    h.enc,
                ));
            }
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: act.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic(&h.a.text, &act.diagnostic, h.enc)]),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                command: None,
                is_preferred: Some(act.preferred),
                disabled: None,
                data: None,
            }));
        }
        Some(out)
    }

    pub(crate) async fn folding(&self, uri: &Url) -> Option<Vec<FoldingRange>> {
        let h = self.here(uri, true).await?;
        let text = &h.a.text;
        Some(
            guarded(|| hints::folding(&h.a))?
                .into_iter()
                .filter_map(|(s, e, kind)| {
                    let (a, b) = (position(text, s, h.enc), position(text, e, h.enc));
                    // Keep the closing line (`end`, `}`) visible.
                    let end_line = if b.line > a.line + 1 && kind.is_none() {
                        b.line - 1
                    } else {
                        b.line
                    };
                    (end_line > a.line).then_some(FoldingRange {
                        start_line: a.line,
                        start_character: None,
                        end_line,
                        end_character: None,
                        kind,
                        collapsed_text: None,
                    })
                })
                .collect(),
        )
    }

    pub(crate) async fn semantic_tokens(&self, uri: &Url) -> Option<SemanticTokensResult> {
        if crate::server::yaml_uri(uri) {
            return None;
        }
        let h = self.here(uri, true).await?;
        Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: Some(h.a.generation.to_string()),
            data: guarded(|| tokens::tokens(h.modules, &h.a, h.enc))?,
        }))
    }

    pub(crate) async fn inlay_hints(&self, uri: &Url, r: Range) -> Option<Vec<InlayHint>> {
        let h = self.here(uri, true).await?;
        if !(h.config.parameter_hints || h.config.type_hints) {
            return Some(Vec::new());
        }
        let want = bytes(&h.a.text, &r, h.enc);
        let found = guarded(|| {
            hints::inlay_hints(
                h.modules,
                &h.a,
                want,
                h.config.parameter_hints,
                h.config.type_hints,
            )
        })?;
        Some(
            found
                .into_iter()
                .map(|hint| InlayHint {
                    position: position(&h.a.text, hint.at, h.enc),
                    label: InlayHintLabel::String(hint.label),
                    kind: Some(if hint.parameter {
                        InlayHintKind::PARAMETER
                    } else {
                        InlayHintKind::TYPE
                    }),
                    text_edits: None,
                    tooltip: None,
                    padding_left: Some(!hint.parameter),
                    padding_right: Some(hint.parameter),
                    data: None,
                })
                .collect(),
        )
    }

    pub(crate) async fn pull_diagnostics(
        &self,
        uri: &Url,
        previous: Option<&str>,
    ) -> DocumentDiagnosticReportResult {
        let report = match self.here(uri, true).await {
            Some(h) => {
                let id = h.a.generation.to_string();
                if previous == Some(id.as_str()) {
                    DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                        related_documents: None,
                        unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                            result_id: id,
                        },
                    })
                } else {
                    full_report(
                        Some(id),
                        h.a.diagnostics
                            .iter()
                            .map(|d| diagnostic(&h.a.text, d, h.enc))
                            .collect(),
                    )
                }
            }
            None => full_report(None, Vec::new()),
        };
        DocumentDiagnosticReportResult::Report(report)
    }
}

fn full_report(result_id: Option<String>, items: Vec<Diagnostic>) -> DocumentDiagnosticReport {
    DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
    })
}
