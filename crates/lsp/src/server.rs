//! The tower-lsp server: lifecycle (every workspace folder loaded, file watchers registered,
//! settings), document sync (incremental), and the requests, delegated to
//! [`crate::requests`]. Diagnostics are pushed by the analysis worker ([`crate::analysis`]) and
//! can be pulled (`textDocument/diagnostic`).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use crate::analysis::{Publish, Shared};
use crate::capabilities;
use crate::convert::{diagnostic, path_of, pos, uri_of};
use crate::workspace::is_yaml;

/// The language server.
pub struct Backend {
    pub(crate) client: Client,
    pub(crate) shared: Arc<Shared>,
    stopped: Arc<AtomicBool>,
    watch: AtomicBool,
}

impl Backend {
    /// A server talking to `client`, with its analysis worker thread started. Must be called
    /// inside the tokio runtime that serves the client.
    pub fn new(client: Client) -> Backend {
        let shared = Shared::new();
        let stopped = Arc::new(AtomicBool::new(false));
        let handle = tokio::runtime::Handle::current();
        let (s, c, st) = (shared.clone(), client.clone(), stopped.clone());
        let _ = std::thread::Builder::new()
            .name("wippy-analysis".into())
            .spawn(move || {
                let publish = |p: Publish| {
                    let enc = s.ws().encoding;
                    let Some(uri) = uri_of(&p.path) else { return };
                    let diags = p
                        .analysis
                        .diagnostics
                        .iter()
                        .map(|d| diagnostic(&p.analysis.text, d, enc))
                        .collect();
                    handle.block_on(c.publish_diagnostics(uri, diags, Some(p.version)));
                };
                s.work(&publish, &|| st.load(Ordering::Relaxed));
            });
        Backend {
            client,
            shared,
            stopped,
            watch: AtomicBool::new(false),
        }
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::Relaxed);
        self.shared.kick();
    }
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let enc = capabilities::encoding(&params);
        self.watch
            .store(capabilities::can_watch(&params), Ordering::Relaxed);
        {
            let mut ws = self.shared.ws();
            ws.encoding = enc;
            ws.config = capabilities::config(&params);
            for root in capabilities::roots(&params) {
                ws.add_root(&root);
            }
        }
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "wippy".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: capabilities::server(enc),
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        // Load the folders now, on the worker.
        self.shared.kick();
        if self.watch.load(Ordering::Relaxed) {
            let _ = self
                .client
                .register_capability(vec![capabilities::watchers()])
                .await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.stopped.store(true, Ordering::Relaxed);
        self.shared.kick();
        Ok(())
    }

    async fn did_open(&self, p: DidOpenTextDocumentParams) {
        let Some(path) = path_of(&p.text_document.uri) else {
            return;
        };
        self.shared
            .ws()
            .open(path, p.text_document.text, p.text_document.version);
        self.shared.kick();
    }

    async fn did_change(&self, p: DidChangeTextDocumentParams) {
        let Some(path) = path_of(&p.text_document.uri) else {
            return;
        };
        {
            let mut ws = self.shared.ws();
            let enc = ws.encoding;
            let Some(doc) = ws.docs.get_mut(&path) else {
                return;
            };
            for c in &p.content_changes {
                doc.text
                    .edit(c.range.map(|r| (pos(r.start), pos(r.end))), &c.text, enc);
            }
            ws.changed(&path, p.text_document.version);
        }
        self.shared.kick();
    }

    async fn did_save(&self, p: DidSaveTextDocumentParams) {
        if let Some(path) = path_of(&p.text_document.uri) {
            self.shared.ws().queue(&path, false);
            self.shared.kick();
        }
    }

    async fn did_close(&self, p: DidCloseTextDocumentParams) {
        let Some(path) = path_of(&p.text_document.uri) else {
            return;
        };
        {
            let mut ws = self.shared.ws();
            ws.close(&path);
            if let Some(r) = ws.root_of(&path) {
                ws.queue_root(Some(r));
            }
        }
        self.shared.kick();
        self.client
            .publish_diagnostics(p.text_document.uri, Vec::new(), None)
            .await;
    }

    async fn did_change_watched_files(&self, p: DidChangeWatchedFilesParams) {
        {
            let mut ws = self.shared.ws();
            let paths: Vec<PathBuf> = p.changes.iter().filter_map(|c| path_of(&c.uri)).collect();
            let mut roots: Vec<usize> = paths.iter().filter_map(|p| ws.root_of(p)).collect();
            if roots.is_empty() && !paths.is_empty() {
                roots = (0..ws.roots.len()).collect();
            }
            roots.sort_unstable();
            roots.dedup();
            for r in roots {
                ws.mark_stale(r);
            }
        }
        self.shared.kick();
    }

    async fn did_change_workspace_folders(&self, p: DidChangeWorkspaceFoldersParams) {
        {
            let mut ws = self.shared.ws();
            for f in &p.event.removed {
                if let Ok(dir) = f.uri.to_file_path() {
                    ws.remove_root(&dir);
                }
            }
            for f in &p.event.added {
                if let Ok(dir) = f.uri.to_file_path() {
                    ws.add_root(&dir);
                }
            }
            ws.queue_root(None);
        }
        self.shared.kick();
    }

    async fn did_change_configuration(&self, p: DidChangeConfigurationParams) {
        capabilities::settings(&mut self.shared.ws().config, &p.settings);
    }

    async fn completion(&self, p: CompletionParams) -> Result<Option<CompletionResponse>> {
        Ok(self.complete(p).await.map(CompletionResponse::Array))
    }

    async fn hover(&self, p: HoverParams) -> Result<Option<Hover>> {
        Ok(self.hover_at(p.text_document_position_params).await)
    }

    async fn signature_help(&self, p: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        Ok(self.signature_at(p.text_document_position_params).await)
    }

    async fn goto_definition(
        &self,
        p: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        Ok(self
            .definition_at(p.text_document_position_params)
            .await
            .map(GotoDefinitionResponse::Scalar))
    }

    async fn references(&self, p: ReferenceParams) -> Result<Option<Vec<Location>>> {
        Ok(self
            .references_at(p.text_document_position, p.context.include_declaration)
            .await)
    }

    async fn prepare_rename(
        &self,
        p: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        Ok(self.prepare_rename_at(p).await)
    }

    async fn rename(&self, p: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.rename_at(p.text_document_position, &p.new_name).await
    }

    async fn document_highlight(
        &self,
        p: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        Ok(self.highlight_at(p.text_document_position_params).await)
    }

    async fn document_symbol(
        &self,
        p: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        Ok(self.document_symbols(&p.text_document.uri).await)
    }

    async fn symbol(&self, p: WorkspaceSymbolParams) -> Result<Option<Vec<SymbolInformation>>> {
        Ok(Some(self.workspace_symbols(&p.query)))
    }

    async fn code_action(&self, p: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        Ok(self.code_actions(&p.text_document.uri, p.range).await)
    }

    async fn folding_range(&self, p: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        Ok(self.folding(&p.text_document.uri).await)
    }

    async fn semantic_tokens_full(
        &self,
        p: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        Ok(self.semantic_tokens(&p.text_document.uri).await)
    }

    async fn inlay_hint(&self, p: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        Ok(self.inlay_hints(&p.text_document.uri, p.range).await)
    }

    async fn diagnostic(
        &self,
        p: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        Ok(self
            .pull_diagnostics(&p.text_document.uri, p.previous_result_id.as_deref())
            .await)
    }
}

/// Whether a URI names a YAML document.
pub(crate) fn yaml_uri(uri: &Url) -> bool {
    path_of(uri).is_some_and(|p| is_yaml(&p))
}
