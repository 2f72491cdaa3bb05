//! The tower-lsp server: document sync (incremental), debounced publishDiagnostics, and the
//! requests, each answered from a fresh analysis of the document's current text.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use checker::Severity;
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use crate::navigate::{self, Place};
use crate::text::{Encoding, Pos, Text};
use crate::workspace::{canonical, is_yaml, Analysis, Workspace};
use crate::{complete, hover};

/// Delay between the last edit and the diagnostics it causes.
pub const DEBOUNCE: Duration = Duration::from_millis(8);

/// The language server.
pub struct Backend {
    client: Client,
    ws: Arc<Mutex<Workspace>>,
    /// Per document: a counter of edits, and when the last one came.
    edits: Arc<Mutex<HashMap<PathBuf, (u64, std::time::Instant)>>>,
}

impl Backend {
    /// A server talking to `client`.
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            ws: Arc::new(Mutex::new(Workspace::new())),
            edits: Arc::default(),
        }
    }
}

fn lock(ws: &Mutex<Workspace>) -> std::sync::MutexGuard<'_, Workspace> {
    ws.lock().unwrap_or_else(|p| p.into_inner())
}

fn path_of(uri: &Url) -> Option<PathBuf> {
    uri.to_file_path().ok().map(|p| canonical(&p))
}

fn pos(p: Position) -> Pos {
    Pos {
        line: p.line,
        character: p.character,
    }
}

fn range(text: &Text, span: &std::ops::Range<usize>, enc: Encoding) -> Range {
    let (a, b) = (text.pos(span.start, enc), text.pos(span.end, enc));
    Range {
        start: Position::new(a.line, a.character),
        end: Position::new(b.line, b.character),
    }
}

fn lsp_diagnostic(text: &Text, d: &checker::Diagnostic, enc: Encoding) -> Diagnostic {
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Hint => DiagnosticSeverity::HINT,
    };
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str(&format!("\nhelp: {h}"));
    }
    Diagnostic {
        range: range(text, &(d.span.start as usize..d.span.end as usize), enc),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.code.as_str().to_owned())),
        source: Some("wippy".into()),
        message,
        ..Diagnostic::default()
    }
}

/// Analyse the open document at `path` and publish its diagnostics.
async fn publish(client: &Client, ws: &Mutex<Workspace>, path: &Path) {
    let (uri, diagnostics, version) = {
        let mut w = lock(ws);
        let Some(doc) = w.docs.get(path).cloned() else {
            return;
        };
        let a = w.analyse(path, doc.text.as_str());
        let enc = w.encoding;
        let Ok(uri) = Url::from_file_path(path) else {
            return;
        };
        (
            uri,
            a.diagnostics
                .iter()
                .map(|d| lsp_diagnostic(&a.text, d, enc))
                .collect(),
            doc.version,
        )
    };
    client
        .publish_diagnostics(uri, diagnostics, Some(version))
        .await;
}

impl Backend {
    /// The document at `uri` and a byte offset, analysed (None: not open).
    fn at(&self, uri: &Url, p: Position) -> Option<(PathBuf, Analysis, usize)> {
        let path = path_of(uri)?;
        let mut w = lock(&self.ws);
        let text = w.docs.get(&path)?.text.as_str().to_owned();
        let offset = Text::new(text.clone()).offset(pos(p), w.encoding);
        let a = w.analyse(&path, &text);
        Some((path, a, offset))
    }

    fn location(&self, place: &Place) -> Option<Location> {
        let w = lock(&self.ws);
        let text = Text::new(navigate::text_of(&w, &place.path)?);
        Some(Location {
            uri: Url::from_file_path(&place.path).ok()?,
            range: range(&text, &place.span, w.encoding),
        })
    }

    async fn publish_open(&self) {
        let paths: Vec<PathBuf> = lock(&self.ws).docs.keys().cloned().collect();
        for p in paths {
            publish(&self.client, &self.ws, &p).await;
        }
    }
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let utf8 = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .and_then(|f| f.uri.to_file_path().ok())
            .or_else(|| params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()));
        {
            let mut w = lock(&self.ws);
            w.encoding = if utf8 {
                Encoding::Utf8
            } else {
                Encoding::Utf16
            };
            w.root = root.map(|r| canonical(&r));
            w.reload();
        }
        let options = |chars: &[&str]| Some(chars.iter().map(|s| (*s).to_owned()).collect());
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "wippy".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(if utf8 {
                    PositionEncodingKind::UTF8
                } else {
                    PositionEncodingKind::UTF16
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: options(&[".", ":", "\"", "'", " "]),
                    ..CompletionOptions::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                signature_help_provider: Some(SignatureHelpOptions {
                    trigger_characters: options(&["(", ","]),
                    ..SignatureHelpOptions::default()
                }),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                ..ServerCapabilities::default()
            },
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, p: DidOpenTextDocumentParams) {
        let Some(path) = path_of(&p.text_document.uri) else {
            return;
        };
        lock(&self.ws).open(path.clone(), p.text_document.text, p.text_document.version);
        if is_yaml(&path) {
            self.publish_open().await;
        } else {
            publish(&self.client, &self.ws, &path).await;
        }
    }

    async fn did_change(&self, p: DidChangeTextDocumentParams) {
        let Some(path) = path_of(&p.text_document.uri) else {
            return;
        };
        {
            let mut w = lock(&self.ws);
            let enc = w.encoding;
            let Some(doc) = w.docs.get_mut(&path) else {
                return;
            };
            for c in &p.content_changes {
                doc.text
                    .edit(c.range.map(|r| (pos(r.start), pos(r.end))), &c.text, enc);
            }
            doc.version = p.text_document.version;
            w.changed(&path);
        }
        // Debounced on both edges: an edit after a quiet spell is analysed at once, edits in a
        // burst only once the burst pauses for DEBOUNCE.
        let (generation, wait) = {
            let mut e = self.edits.lock().unwrap_or_else(|p| p.into_inner());
            let now = std::time::Instant::now();
            let long_ago = now.checked_sub(DEBOUNCE * 2).unwrap_or(now);
            let entry = e.entry(path.clone()).or_insert((0, long_ago));
            let quiet = now.duration_since(entry.1) >= DEBOUNCE;
            *entry = (entry.0 + 1, now);
            (entry.0, if quiet { Duration::ZERO } else { DEBOUNCE })
        };
        let (client, ws, edits) = (self.client.clone(), self.ws.clone(), self.edits.clone());
        tokio::spawn(async move {
            tokio::time::sleep(wait).await;
            let current = edits
                .lock()
                .map(|e| e.get(&path).map(|g| g.0))
                .unwrap_or(None);
            if current == Some(generation) {
                publish(&client, &ws, &path).await;
            }
        });
    }

    async fn did_save(&self, p: DidSaveTextDocumentParams) {
        let Some(path) = path_of(&p.text_document.uri) else {
            return;
        };
        if is_yaml(&path) {
            lock(&self.ws).reload();
            self.publish_open().await;
        } else {
            publish(&self.client, &self.ws, &path).await;
        }
    }

    async fn did_close(&self, p: DidCloseTextDocumentParams) {
        let Some(path) = path_of(&p.text_document.uri) else {
            return;
        };
        lock(&self.ws).close(&path);
        self.client
            .publish_diagnostics(p.text_document.uri, Vec::new(), None)
            .await;
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        lock(&self.ws).reload();
        self.publish_open().await;
    }

    async fn completion(&self, p: CompletionParams) -> Result<Option<CompletionResponse>> {
        let uri = &p.text_document_position.text_document.uri;
        let Some(path) = path_of(uri) else {
            return Ok(None);
        };
        let mut w = lock(&self.ws);
        let Some(text) = w.docs.get(&path).map(|d| d.text.clone()) else {
            return Ok(None);
        };
        let offset = text.offset(pos(p.text_document_position.position), w.encoding);
        let items = if is_yaml(&path) {
            complete::yaml(&mut w, &path, text.as_str(), offset)
        } else {
            complete::lua(&mut w, &path, text.as_str(), offset)
        };
        Ok(Some(CompletionResponse::Array(items)))
    }

    async fn hover(&self, p: HoverParams) -> Result<Option<Hover>> {
        let tp = p.text_document_position_params;
        let Some((path, a, offset)) = self.at(&tp.text_document.uri, tp.position) else {
            return Ok(None);
        };
        let w = lock(&self.ws);
        Ok(hover::hover(&w, &path, &a, offset).map(|value| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: None,
        }))
    }

    async fn signature_help(&self, p: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let tp = p.text_document_position_params;
        let Some(path) = path_of(&tp.text_document.uri) else {
            return Ok(None);
        };
        let mut w = lock(&self.ws);
        let Some(text) = w.docs.get(&path).map(|d| d.text.as_str().to_owned()) else {
            return Ok(None);
        };
        let offset = Text::new(text.clone()).offset(pos(tp.position), w.encoding);
        // An open call rarely parses: close what is open at the cursor for the analysis.
        let closers = hover::closers(&text[..offset]);
        for patch in [
            String::new(),
            closers.clone(),
            format!("{}{closers}", complete::HOLE),
        ] {
            let candidate = format!("{}{patch}{}", &text[..offset], &text[offset..]);
            let a = w.analyse(&path, &candidate);
            if a.index.is_some() {
                return Ok(hover::signature(&w, &path, &a, offset));
            }
        }
        Ok(None)
    }

    async fn goto_definition(
        &self,
        p: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let tp = p.text_document_position_params;
        let Some((path, a, offset)) = self.at(&tp.text_document.uri, tp.position) else {
            return Ok(None);
        };
        let place = if is_yaml(&path) {
            navigate::yaml_definition(&path, a.text.as_str(), offset)
        } else {
            let w = lock(&self.ws);
            navigate::lua_definition(&w, &path, &a, offset)
        };
        Ok(place
            .and_then(|pl| self.location(&pl))
            .map(GotoDefinitionResponse::Scalar))
    }

    async fn references(&self, p: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let tp = p.text_document_position;
        let Some((_, a, offset)) = self.at(&tp.text_document.uri, tp.position) else {
            return Ok(None);
        };
        let enc = lock(&self.ws).encoding;
        Ok(navigate::references(&a, offset).map(|spans| {
            spans
                .iter()
                .map(|s| Location {
                    uri: tp.text_document.uri.clone(),
                    range: range(&a.text, s, enc),
                })
                .collect()
        }))
    }

    async fn rename(&self, p: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let tp = p.text_document_position;
        let name = &p.new_name;
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(Error::invalid_params(format!(
                "`{name}` is not a Lua identifier"
            )));
        }
        let Some((_, a, offset)) = self.at(&tp.text_document.uri, tp.position) else {
            return Ok(None);
        };
        let enc = lock(&self.ws).encoding;
        let Some(spans) = navigate::references(&a, offset) else {
            return Ok(None);
        };
        let edits = spans
            .iter()
            .map(|s| TextEdit {
                range: range(&a.text, s, enc),
                new_text: name.clone(),
            })
            .collect();
        Ok(Some(WorkspaceEdit {
            changes: Some(HashMap::from([(tp.text_document.uri, edits)])),
            ..WorkspaceEdit::default()
        }))
    }

    async fn document_symbol(
        &self,
        p: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some((path, a, _)) = self.at(&p.text_document.uri, Position::new(0, 0)) else {
            return Ok(None);
        };
        let w = lock(&self.ws);
        let symbols = if is_yaml(&path) {
            navigate::entry_symbols(&w, Some(&path), "")
        } else {
            navigate::lua_symbols(&path, &a)
        };
        #[allow(deprecated)]
        let out = symbols
            .into_iter()
            .map(|s| SymbolInformation {
                name: s.name,
                kind: s.kind,
                tags: None,
                deprecated: None,
                location: Location {
                    uri: p.text_document.uri.clone(),
                    range: range(&a.text, &s.place.span, w.encoding),
                },
                container_name: Some(s.detail),
            })
            .collect();
        Ok(Some(DocumentSymbolResponse::Flat(out)))
    }

    async fn symbol(&self, p: WorkspaceSymbolParams) -> Result<Option<Vec<SymbolInformation>>> {
        let symbols = navigate::entry_symbols(&lock(&self.ws), None, &p.query);
        #[allow(deprecated)]
        let out = symbols
            .into_iter()
            .filter_map(|s| {
                Some(SymbolInformation {
                    name: s.name,
                    kind: s.kind,
                    tags: None,
                    deprecated: None,
                    location: self.location(&s.place)?,
                    container_name: Some(s.detail),
                })
            })
            .collect();
        Ok(Some(out))
    }
}
