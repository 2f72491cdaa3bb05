//! `wippy typedefs list|show|export`: the module manifests the checker uses.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use typedefs::export::{json, luacats, luau, ExportFile};
use typedefs::render::generic_list;
use typedefs::types::{MemberKind, TableDef, TypeDef};
use typedefs::{Module, ModuleSet, Type};

/// Arguments of `wippy typedefs`.
#[derive(Args)]
pub struct TypedefsArgs {
    #[command(subcommand)]
    command: TypedefsCommand,
    /// Directory of extra module manifests (`*.json`).
    #[arg(long, value_name = "DIR", global = true)]
    typedefs: Option<PathBuf>,
}

#[derive(Subcommand)]
enum TypedefsCommand {
    /// Every module with its classes and counts.
    List,
    /// Every signature of one module, in Wippy type syntax.
    Show {
        /// Module name (`json`, `sql`, `process`, …).
        module: String,
    },
    /// Write the manifests in another format, one file per module.
    Export {
        /// Output format.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Output directory (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// The JSON manifests the checker loads.
    Json,
    /// LuaCATS `---@meta` files for lua-language-server and EmmyLua.
    Luacats,
    /// `.d.luau` declarations for luau-lsp.
    Luau,
}

/// Run the subcommand; returns the exit code.
pub fn run(args: &TypedefsArgs) -> u8 {
    let set = match super::load_modules(args.typedefs.as_ref()) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let result = match &args.command {
        TypedefsCommand::List => list(&set),
        TypedefsCommand::Show { module } => match set.get(module) {
            Some(m) => show(m),
            None => {
                let names: Vec<String> = set.iter().map(|m| m.name.clone()).collect();
                let hint = typedefs::suggest(module, &names)
                    .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                eprintln!("error: no module `{module}`{hint} (see `wippy typedefs list`)");
                return 2;
            }
        },
        TypedefsCommand::Export { format, out } => export(&set, *format, out),
    };
    match result {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn list(set: &ModuleSet) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<14} {:<8} {:>5} {:>7} {:>5} {:>6}  classes",
        "module", "expose", "funcs", "methods", "types", "consts"
    )?;
    let mut total = typedefs::counts::Counts::default();
    for m in set.iter() {
        let c = m.counts();
        total = total + c;
        let expose = format!("{:?}", m.expose).to_lowercase();
        writeln!(
            out,
            "{:<14} {:<8} {:>5} {:>7} {:>5} {:>6}  {}",
            m.name,
            expose,
            c.functions,
            c.methods,
            c.types,
            c.constants,
            m.classes.join(", ")
        )?;
    }
    writeln!(
        out,
        "{} modules: {} functions, {} methods, {} named types, {} constants",
        set.iter().count(),
        total.functions,
        total.methods,
        total.types,
        total.constants
    )
}

fn show(m: &Module) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "module {}{}",
        m.name,
        m.description
            .as_deref()
            .map_or(String::new(), |d| format!(" — {d}"))
    )?;
    writeln!(out, "classes: {}", m.classes.join(", "))?;
    show_table(&mut out, &m.name, &m.table)?;
    for (name, def) in &m.types {
        match def {
            TypeDef::Alias {
                ty,
                description,
                type_params,
            } => {
                let g = generic_list(type_params.iter().map(|p| p.name.as_str()));
                writeln!(out, "\ntype {name}{g} = {ty}{}", comment(description))?;
            }
            TypeDef::Interface(i) => {
                let g = generic_list(i.type_params.iter().map(|p| p.name.as_str()));
                writeln!(out, "\ninterface {name}{g}{}", comment(&i.description))?;
                for (f, field) in &i.fields {
                    let sep = if field.optional { "?:" } else { ":" };
                    writeln!(
                        out,
                        "  {f}{sep} {}{}",
                        field.ty,
                        comment(&field.description)
                    )?;
                }
                for (mname, method) in &i.methods {
                    writeln!(
                        out,
                        "  {name}:{mname}{}{}",
                        signature(&Type::Function(method.ty.clone()), true),
                        comment(&method.description)
                    )?;
                }
            }
        }
    }
    Ok(())
}

fn show_table(out: &mut impl Write, path: &str, t: &TableDef) -> std::io::Result<()> {
    for (name, m) in &t.members {
        match &m.kind {
            MemberKind::Function(f) => writeln!(
                out,
                "  {path}.{name}{}{}",
                signature(&Type::Function(f.clone()), false),
                comment(&m.description)
            )?,
            MemberKind::Constant(ty, value) => {
                let v = value.as_ref().map_or(String::new(), |v| format!(" = {v}"));
                writeln!(out, "  {path}.{name}: {ty}{v}{}", comment(&m.description))?;
            }
            MemberKind::Table(_) => {}
        }
    }
    for (name, m) in &t.members {
        if let MemberKind::Table(sub) = &m.kind {
            show_table(out, &format!("{path}.{name}"), sub)?;
        }
    }
    Ok(())
}

/// `(a: T) -> R` without the leading `self` for methods.
fn signature(t: &Type, method: bool) -> String {
    let Type::Function(f) = t else {
        return t.to_string();
    };
    if method && f.is_method() {
        let mut f = (**f).clone();
        f.params.remove(0);
        return Type::function(f).to_string();
    }
    t.to_string()
}

fn comment(d: &Option<String>) -> String {
    d.as_deref().map_or(String::new(), |d| format!("  -- {d}"))
}

fn export(set: &ModuleSet, format: ExportFormat, out: &PathBuf) -> std::io::Result<()> {
    let files: Vec<ExportFile> = match format {
        ExportFormat::Json => set
            .iter()
            .map(|m| ExportFile {
                name: format!("{}.json", m.name),
                text: json::to_json_text(m),
            })
            .collect(),
        ExportFormat::Luacats => luacats::export(set.iter()),
        ExportFormat::Luau => luau::export(set.iter()),
    };
    std::fs::create_dir_all(out)?;
    for f in &files {
        std::fs::write(out.join(&f.name), &f.text)?;
    }
    eprintln!("wrote {} files to {}", files.len(), out.display());
    Ok(())
}
