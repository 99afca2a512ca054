//! Where a configuration's region and credentials come from when the code does not give them,
//! in the order the AWS SDKs and CLI use:
//!
//! - credentials: a profile named in code; else `AWS_ACCESS_KEY_ID` and
//!   `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN`); else the static keys of the selected
//!   profile (`AWS_PROFILE`, else `default`);
//! - region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the selected profile's `region`.
//!
//! The shared files are read only when the environment does not settle both.

use std::collections::BTreeMap;

use crate::config::ConfigError;
use crate::credentials::Credentials;
use crate::profile::{static_credentials, ProfileSet, Property};

/// The profile the shared files are read for.
struct Selected {
    set: ProfileSet,
    name: String,
    /// The name came from code, not from `AWS_PROFILE` or the default.
    in_code: bool,
}

impl Selected {
    fn properties(&self) -> Option<&BTreeMap<String, Property>> {
        self.set.profile(&self.name)
    }

    /// `profile `x` of the shared files (a and b)`, for messages.
    fn describe(&self) -> String {
        format!("profile `{}` of the shared files ({})", self.name, self.set.files())
    }
}

/// Resolves region and credentials over a variable lookup, reading the shared files at most once.
pub(crate) struct Resolver<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    profile: Option<&'a str>,
    selected: Option<Selected>,
    /// How a caller can give the region itself, said first when none is found.
    region_hint: &'static str,
}

impl<'a> Resolver<'a> {
    /// A resolver over `lookup`; `profile` is a profile named in code.
    pub(crate) fn new(lookup: &'a dyn Fn(&str) -> Option<String>, profile: Option<&'a str>) -> Self {
        Self { lookup, profile, selected: None, region_hint: "" }
    }

    /// Starts the missing-region message with `hint` (e.g. `pass --region or `).
    #[cfg(feature = "cli")]
    pub(crate) fn with_region_hint(mut self, hint: &'static str) -> Self {
        self.region_hint = hint;
        self
    }

    /// `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the selected profile's `region`.
    pub(crate) fn region(&mut self) -> Result<String, ConfigError> {
        if let Some(region) = (self.lookup)("AWS_REGION").or_else(|| (self.lookup)("AWS_DEFAULT_REGION")) {
            return Ok(region);
        }
        let hint = self.region_hint;
        let selected = self.selected()?;
        let region = selected.properties().and_then(|profile| profile.get("region"));
        match region.map(|property| property.value.text.trim()).filter(|region| !region.is_empty()) {
            Some(region) => Ok(region.to_owned()),
            None => Err(ConfigError::new(format!(
                "no region: {}set AWS_REGION (or AWS_DEFAULT_REGION), or `region` in {}",
                hint,
                selected.describe()
            ))),
        }
    }

    /// The profile named in code; else the environment's keys; else the selected profile's.
    pub(crate) fn credentials(&mut self) -> Result<Credentials, ConfigError> {
        if self.profile.is_none() {
            if let Some(credentials) = Credentials::from_env_keys(self.lookup)? {
                return Ok(credentials);
            }
        }
        let selected = self.selected()?;
        let found = match selected.properties() {
            Some(profile) => static_credentials(&selected.name, profile)?,
            None => None,
        };
        found.ok_or_else(|| {
            let instead = if selected.in_code { "" } else { "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or " };
            ConfigError::new(format!(
                "no credentials: {instead}give aws_access_key_id and aws_secret_access_key to {}",
                selected.describe()
            ))
        })
    }

    /// The shared files and the selected profile, read on first use.
    fn selected(&mut self) -> Result<&Selected, ConfigError> {
        let selected = match self.selected.take() {
            Some(selected) => selected,
            None => select(self.lookup, self.profile)?,
        };
        Ok(self.selected.insert(selected))
    }
}

/// Reads the shared files and selects the profile named in code, else `AWS_PROFILE`, else
/// `default`. A named profile must exist; `default` need not.
fn select(lookup: &dyn Fn(&str) -> Option<String>, in_code: Option<&str>) -> Result<Selected, ConfigError> {
    let set = ProfileSet::load(lookup)?;
    let (name, by) = match (in_code, lookup("AWS_PROFILE")) {
        (Some(name), _) => (name.to_owned(), Some("")),
        (None, Some(name)) => (name.trim().to_owned(), Some(" (AWS_PROFILE)")),
        (None, None) => ("default".to_owned(), None),
    };
    if let (Some(by), None) = (by, set.profile(&name)) {
        let names = set.profile_names();
        let defined = if names.is_empty() { "none".to_owned() } else { names.join(", ") };
        return Err(ConfigError::new(format!(
            "profile `{name}`{by} is not defined in the shared files ({}); defined profiles: {defined}",
            set.files()
        )));
    }
    Ok(Selected { set, name, in_code: in_code.is_some() })
}

#[cfg(test)]
mod tests;
