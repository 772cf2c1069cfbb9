//! The `policylint` command: argument parsing, and nothing else.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use policylint::cli::{
    self, CheckOptions, Color, ConfigSource, EXIT_ERROR, FixAction, OutlineFormat,
};
use policylint::lint::fix::FixMode;
use policylint::report::OutputFormat;

/// Checks policy texts (white papers, terms of service, privacy policies,
/// codes of conduct, regulations) for misspellings, wrong words and broken
/// structure.
///
/// `policylint PATHS…` is short for `policylint check PATHS…`.
#[derive(Parser)]
#[command(name = "policylint", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Check files and directories (the default command).
    Check(CheckArgs),
    /// Print a document's outline: its title and sections.
    Outline(OutlineArgs),
    /// List the rules.
    Rules {
        /// Print the list as JSON.
        #[arg(long, value_enum, default_value = "text")]
        output_format: ListFormat,
    },
    /// Explain a rule: what it checks, why it matters, an example.
    Explain {
        /// The rule's name, as `policylint rules` lists it.
        rule: String,
    },
    /// Write a commented policylint.toml in the current directory.
    Init,
    /// Print a shell's completion script for policylint.
    Completions {
        /// The shell.
        shell: Shell,
    },
    /// Run the language server on standard input and output.
    #[cfg(feature = "server")]
    Lsp {
        /// Accepted and ignored: standard input and output are the only
        /// transport, and clients such as vscode-languageclient pass it.
        #[arg(long)]
        stdio: bool,
    },
}

#[derive(Args, Clone)]
struct CheckArgs {
    /// Files or directories to check (`-` for standard input; default: the
    /// current directory); directories are walked for .md, .markdown and
    /// .txt files, respecting .gitignore.
    paths: Vec<PathBuf>,
    /// How to print findings.
    #[arg(long, value_enum, default_value = "human")]
    output_format: FindingsFormat,
    /// When to colour human output.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,
    /// Print long source lines whole in human output (by default they are
    /// cut to the terminal's width, or 120 characters, around the finding).
    #[arg(long)]
    no_truncate: bool,
    /// Run only these rules (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    select: Option<Vec<String>>,
    /// Do not run these rules (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    ignore: Vec<String>,
    /// Use this configuration file for every file instead of the nearest
    /// policylint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore every policylint.toml and use the defaults.
    #[arg(long)]
    no_config: bool,
    /// The file name to check standard input as (for its format and config).
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// Apply safe fixes to the files (standard input: print the fixed text).
    #[arg(long)]
    fix: bool,
    /// Apply unsafe fixes too (implies --fix unless --diff is given).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print a unified diff of what the fixes would change; write nothing.
    #[arg(long)]
    diff: bool,
    /// Exit with 0 even when there are findings (errors still exit with 2).
    #[arg(long)]
    exit_zero: bool,
    /// Print the findings and errors only: no summary line, no count of
    /// fixes.
    #[arg(short, long)]
    quiet: bool,
    /// Print how many findings each rule has, instead of the findings.
    #[arg(long, conflicts_with = "diff")]
    statistics: bool,
    /// Report only the findings this baseline (written by --write-baseline)
    /// does not hold.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "unsafe_fixes", "diff"])]
    baseline: Option<PathBuf>,
    /// Record today's findings in this baseline file (replacing it) instead
    /// of printing them.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["baseline", "fix", "unsafe_fixes", "diff", "statistics"]
    )]
    write_baseline: Option<PathBuf>,
}

#[derive(Args)]
struct OutlineArgs {
    /// The document (`-` for standard input).
    file: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    output_format: ListFormat,
    /// The file name to read standard input as.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
}

#[derive(Copy, Clone, ValueEnum)]
enum FindingsFormat {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
}

#[derive(Copy, Clone, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Copy, Clone, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The server writes standard output itself: no lock may be held here.
    #[cfg(feature = "server")]
    if let Some(Command::Lsp { .. }) = cli.command {
        return policylint::lsp::run();
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = io::stderr();
    let code = match cli.command {
        None => {
            let command = Cli::command();
            let commands = command.get_subcommands().map(|c| c.get_name());
            match cli
                .check
                .paths
                .first()
                .and_then(|first| cli::mistyped_command(first, commands))
            {
                Some(message) => {
                    let _ = writeln!(err, "error: {message}");
                    EXIT_ERROR
                }
                None => check(&cli.check, &mut out, &mut err),
            }
        }
        Some(Command::Check(args)) => check(&args, &mut out, &mut err),
        Some(Command::Outline(args)) => {
            let format = match args.output_format {
                ListFormat::Text => OutlineFormat::Text,
                ListFormat::Json => OutlineFormat::Json,
            };
            cli::outline_file(
                &args.file,
                args.stdin_filename.as_deref(),
                format,
                &mut out,
                &mut err,
            )
        }
        Some(Command::Rules { output_format }) => finish(
            cli::list_rules(matches!(output_format, ListFormat::Json), &mut out),
            &mut err,
        ),
        Some(Command::Explain { rule }) => match cli::explain(&rule, &mut out) {
            Ok(()) => 0,
            Err(message) => {
                let _ = writeln!(err, "error: {message}");
                EXIT_ERROR
            }
        },
        Some(Command::Init) => match cli::init(Path::new("."), &mut out) {
            Ok(()) => 0,
            Err(message) => {
                let _ = writeln!(err, "error: {message}");
                EXIT_ERROR
            }
        },
        Some(Command::Completions { shell }) => {
            // Written whole afterwards: clap_complete panics on a write error
            // (a closed pipe).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "policylint", &mut script);
            finish(out.write_all(&script), &mut err)
        }
        #[cfg(feature = "server")]
        Some(Command::Lsp { .. }) => 0,
    };
    let flushed = out.flush();
    if code == 0 {
        finish(flushed, &mut err).into()
    } else {
        ExitCode::from(code)
    }
}

fn check(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let default_paths = args.paths.is_empty();
    let options = CheckOptions {
        paths: if default_paths {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        },
        default_paths,
        stdin_filename: args.stdin_filename.clone(),
        output_format: match args.output_format {
            FindingsFormat::Human => OutputFormat::Human,
            FindingsFormat::Concise => OutputFormat::Concise,
            FindingsFormat::Json => OutputFormat::Json,
            FindingsFormat::Sarif => OutputFormat::Sarif,
            FindingsFormat::Github => OutputFormat::Github,
        },
        color: match args.color {
            ColorArg::Auto => Color::Auto,
            ColorArg::Always => Color::Always,
            ColorArg::Never => Color::Never,
        },
        no_truncate: args.no_truncate,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        config: match (&args.config, args.no_config) {
            (Some(path), _) => ConfigSource::File(path.clone()),
            (None, true) => ConfigSource::Defaults,
            (None, false) => ConfigSource::Discover,
        },
        fix: {
            let mode = if args.unsafe_fixes {
                FixMode::All
            } else {
                FixMode::Safe
            };
            if args.diff {
                FixAction::Diff(mode)
            } else if args.fix || args.unsafe_fixes {
                FixAction::Write(mode)
            } else {
                FixAction::None
            }
        },
        exit_zero: args.exit_zero,
        quiet: args.quiet,
        statistics: args.statistics,
        baseline: args.baseline.clone(),
        write_baseline: args.write_baseline.clone(),
    };
    cli::check(&options, out, err)
}

/// Exit code 0, or 2 after reporting an output error (a closed pipe is fine).
fn finish(result: io::Result<()>, err: &mut dyn Write) -> u8 {
    match result {
        Ok(()) => 0,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(err, "error: cannot write output: {e}");
            EXIT_ERROR
        }
    }
}
