//! What the server offers (`initialize`) and what it takes from the client's capabilities and
//! settings: position encoding, snippet support, hierarchical symbols, inlay-hint settings,
//! workspace folders, and the file watchers registered after `initialized`.

use std::path::PathBuf;

use serde_json::Value;
use tower_lsp::lsp_types::*;

use crate::text::Encoding;
use crate::workspace::Config;

/// Characters that start completion in Lua: members, methods and `require("`/`require('`.
/// Never a space. YAML gets no trigger characters (its values complete as they are typed).
pub const TRIGGERS: &[&str] = &[".", ":", "\"", "'"];

/// Files whose changes the server wants to hear of (`workspace/didChangeWatchedFiles`).
pub const WATCHED: &[&str] = &[
    "**/*.lua",
    "**/*.luau",
    "**/*.yaml",
    "**/*.yml",
    "**/wippy.lock",
    "**/wraith.toml",
];

/// The negotiated position encoding: UTF-8 when the client offers it, else UTF-16.
pub fn encoding(params: &InitializeParams) -> Encoding {
    let utf8 = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
    if utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

/// Every workspace folder, else the root URI (else the root path).
pub fn roots(params: &InitializeParams) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| f.uri.to_file_path().ok())
        .collect();
    if !folders.is_empty() {
        return folders;
    }
    #[allow(deprecated)]
    let root = params
        .root_uri
        .as_ref()
        .and_then(|u| u.to_file_path().ok())
        .or_else(|| params.root_path.as_ref().map(PathBuf::from));
    root.into_iter().collect()
}

/// The client's capabilities and the `initializationOptions` as a [`Config`].
pub fn config(params: &InitializeParams) -> Config {
    let td = params.capabilities.text_document.as_ref();
    let mut c = Config {
        snippets: td
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false),
        hierarchical_symbols: td
            .and_then(|t| t.document_symbol.as_ref())
            .and_then(|s| s.hierarchical_document_symbol_support)
            .unwrap_or(false),
        ..Config::default()
    };
    if let Some(o) = &params.initialization_options {
        settings(&mut c, o);
    }
    c
}

/// Apply settings (`initializationOptions`, or the `wippy` section of
/// `workspace/didChangeConfiguration`): `{"inlayHints": {"parameterNames": bool,
/// "variableTypes": bool}}`.
pub fn settings(c: &mut Config, v: &Value) {
    let v = v.get("wippy").unwrap_or(v);
    let hints = &v["inlayHints"];
    if let Some(b) = hints["parameterNames"].as_bool() {
        c.parameter_hints = b;
    }
    if let Some(b) = hints["variableTypes"].as_bool() {
        c.type_hints = b;
    }
}

/// Whether the client registers file watchers on request.
pub fn can_watch(params: &InitializeParams) -> bool {
    params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false)
}

/// The registration of [`WATCHED`] files.
pub fn watchers() -> Registration {
    let watchers: Vec<FileSystemWatcher> = WATCHED
        .iter()
        .map(|g| FileSystemWatcher {
            glob_pattern: GlobPattern::String((*g).to_owned()),
            kind: None,
        })
        .collect();
    Registration {
        id: "wippy-watched-files".into(),
        method: "workspace/didChangeWatchedFiles".into(),
        register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
            watchers,
        })
        .ok(),
    }
}

/// The server's capabilities.
pub fn server(enc: Encoding) -> ServerCapabilities {
    let strings = |chars: &[&str]| Some(chars.iter().map(|s| (*s).to_owned()).collect());
    ServerCapabilities {
        position_encoding: Some(match enc {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
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
            trigger_characters: strings(TRIGGERS),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: strings(&["(", ","]),
            ..SignatureHelpOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: crate::tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            },
        )),
        inlay_hint_provider: Some(OneOf::Left(true)),
        diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some("wippy".into()),
            inter_file_dependencies: true,
            workspace_diagnostics: false,
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}
