//! The AWS shared config and credentials files (`~/.aws/config`, `~/.aws/credentials`), read as
//! the AWS SDKs read them: where they are, their syntax (`parse`), what their sections mean
//! (`normalize`), and how the two merge.

mod normalize;
mod parse;

use std::collections::BTreeMap;
use std::fmt;
use std::io::ErrorKind;
use std::path::PathBuf;

use crate::config::ConfigError;

use normalize::{normalize, FileKind, SectionName};

/// A property of a merged profile, with the file it came from (for error messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Property {
    pub(crate) value: parse::Value,
    pub(crate) file: PathBuf,
}

/// A shared file that was looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Looked {
    /// The path as configured, `~` expanded when a home directory is known.
    path: String,
    found: bool,
}

/// Both shared files, merged: the credentials file's properties win over the config file's.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProfileSet {
    looked: Vec<Looked>,
    sections: BTreeMap<SectionName, BTreeMap<String, Property>>,
}

impl ProfileSet {
    /// Reads `AWS_CONFIG_FILE` (default `~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE`
    /// (default `~/.aws/credentials`). A missing file is empty; an unreadable or malformed one is
    /// an error naming the file (and the line).
    pub(crate) fn load(lookup: &dyn Fn(&str) -> Option<String>) -> Result<ProfileSet, ConfigError> {
        let home = lookup("HOME").or_else(|| if cfg!(windows) { lookup("USERPROFILE") } else { None });
        let mut set = ProfileSet::default();
        let files = [
            (FileKind::Config, "AWS_CONFIG_FILE", "~/.aws/config"),
            (FileKind::Credentials, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
        ];
        for (kind, variable, default) in files {
            let configured = lookup(variable).unwrap_or_else(|| default.to_owned());
            let Some(path) = expand_home(&configured, home.as_deref()) else {
                set.looked.push(Looked { path: configured, found: false });
                continue;
            };
            let text = match std::fs::read(&path) {
                Ok(bytes) => String::from_utf8(bytes)
                    .map_err(|_| ConfigError::new(format!("cannot read {}: it is not UTF-8 text", path.display())))?,
                Err(err) if err.kind() == ErrorKind::NotFound => {
                    set.looked.push(Looked { path: path.display().to_string(), found: false });
                    continue;
                }
                Err(err) => return Err(ConfigError::new(format!("cannot read {}: {err}", path.display()))),
            };
            set.add(kind, &text, path)?;
        }
        Ok(set)
    }

    /// Parses `text`, the content of the file at `path`, and merges it over what is already read.
    fn add(&mut self, kind: FileKind, text: &str, path: PathBuf) -> Result<(), ConfigError> {
        let sections = parse::parse(text).map_err(|err| {
            ConfigError::new(format!(
                "malformed shared config file {} at line {}: {}",
                path.display(),
                err.line,
                err.message
            ))
        })?;
        for (name, properties) in normalize(kind, sections) {
            let merged = self.sections.entry(name).or_default();
            for (key, value) in properties {
                merged.insert(key, Property { value, file: path.clone() });
            }
        }
        self.looked.push(Looked { path: path.display().to_string(), found: true });
        Ok(())
    }

    /// The properties of the profile `name` (case-sensitive), if some file defines it.
    pub(crate) fn profile(&self, name: &str) -> Option<&BTreeMap<String, Property>> {
        self.sections.get(&SectionName::Profile(name.to_owned()))
    }

    /// The properties of `[sso-session name]`, if the config file defines it.
    pub(crate) fn sso_session(&self, name: &str) -> Option<&BTreeMap<String, Property>> {
        self.sections.get(&SectionName::SsoSession(name.to_owned()))
    }

    /// The properties of `[services name]` (one per service, its settings as sub-properties),
    /// if the config file defines it.
    pub(crate) fn services(&self, name: &str) -> Option<&BTreeMap<String, Property>> {
        self.sections.get(&SectionName::Services(name.to_owned()))
    }

    /// The names of the profiles the files define, sorted.
    pub(crate) fn profile_names(&self) -> Vec<&str> {
        let names = self.sections.keys();
        names
            .filter_map(|name| if let SectionName::Profile(name) = name { Some(name.as_str()) } else { None })
            .collect()
    }

    /// The files looked at, for messages: `a (not found) and b`.
    pub(crate) fn files(&self) -> Files<'_> {
        Files(&self.looked)
    }
}

/// Shows the files a [`ProfileSet`] looked at.
pub(crate) struct Files<'a>(&'a [Looked]);

impl fmt::Display for Files<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, looked) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(" and ")?;
            }
            f.write_str(&looked.path)?;
            if !looked.found {
                f.write_str(" (not found)")?;
            }
        }
        Ok(())
    }
}

/// Reads `config` and `credentials` as the texts of the two shared files, as
/// [`ProfileSet::load`] reads them (a malformed file is skipped rather than fatal), then what a
/// configuration reads from every profile: its endpoint URLs and its SSO session. For the fuzz
/// targets in `fuzz/`.
#[cfg(feature = "fuzzing")]
pub fn fuzz_shared_files(config: &str, credentials: &str) {
    let mut set = ProfileSet::default();
    let files = [(FileKind::Config, config, "config"), (FileKind::Credentials, credentials, "credentials")];
    for (kind, text, path) in files {
        if let Err(err) = set.add(kind, text, PathBuf::from(path)) {
            std::hint::black_box(err.to_string());
        }
    }
    let env = crate::credentials::Env::default();
    for name in set.profile_names() {
        let endpoints = crate::config::ConfiguredEndpoints::load(&env, &set, name);
        let _ = std::hint::black_box(endpoints.map(|endpoints| endpoints.for_service("iot").cloned()));
        let session = set.profile(name).and_then(|profile| profile.get("sso_session"));
        std::hint::black_box(session.and_then(|session| set.sso_session(session.value.text.trim())));
    }
    std::hint::black_box(set.files().to_string());
}

/// `path` with a leading `~` replaced by the home directory; `None` when there is none.
fn expand_home(path: &str, home: Option<&str>) -> Option<PathBuf> {
    let rest = match path.strip_prefix('~') {
        None => return Some(PathBuf::from(path)),
        Some(rest) if rest.is_empty() || rest.starts_with(['/', '\\']) => rest,
        // `~user/...` is not expanded by the SDKs either.
        Some(_) => return Some(PathBuf::from(path)),
    };
    home.map(|home| PathBuf::from(format!("{}{rest}", home.trim_end_matches(['/', '\\']))))
}

#[cfg(test)]
mod tests;
