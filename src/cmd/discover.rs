//! `tifa discover`: candidate formulations that the lexicon does not cover.

use anyhow::Result;

use super::{Inputs, emit, finish, load_lexicon_for};
use crate::cli::{DiscoverArgs, GlobalArgs, InputArgs};
use tifa::Matcher;
use tifa::analysis::{
    Aggregate, CandidateKind, Candidates, Discover, DiscoverOptions, Examples,
    NgramFilter, Role, Roles, Sketch, SketchFill,
};
use tifa::corpus::date_range;

pub fn run(global: &GlobalArgs, args: &DiscoverArgs) -> Result<u8> {
    let lexicon = load_lexicon_for(global, &args.input)?;
    if let (Some(before), Some(since)) =
        (&args.reference_before, &args.input.since)
        && date_range(since).0 < date_range(before).0
    {
        return Err(tifa::Error::Usage(format!(
            "--since {since} is before --reference-before {before}: the \
             target and the reference would overlap"
        ))
        .into());
    }
    // Every document is segmented: the dictionary loads while the
    // matcher is built.
    tifa::segment::preload();
    let matcher = Matcher::new(&lexicon);
    let keyness =
        args.reference_before.is_some() || !args.reference.is_empty();
    // With --reference-before, one read covers target and reference, and
    // the dates split them.
    let mut target_args: InputArgs = args.input.clone();
    let roles = match &args.reference_before {
        Some(before) => {
            target_args.since = None;
            target_args.until = None;
            Roles::ByDate {
                since: args.input.since.clone(),
                until: args.input.until.clone(),
                before: before.clone(),
            }
        }
        None => Roles::All(Role::Target),
    };
    let mut target = Inputs::new(&target_args, global);
    // A stream is read once: no sketch first, and no second read for the
    // examples of the rows written.
    let from_stream = target.stream_given().is_some();
    let options = DiscoverOptions {
        kinds: args.kind.clone(),
        min_hits: args.min_hits,
        min_docs: args.min_docs,
        limit: args.limit,
        keyness,
        keep_examples: from_stream,
        t2s: args.input.t2s,
    };
    let mut elapsed = std::time::Duration::ZERO;
    let filter = options
        .wants(CandidateKind::Ngram)
        .then(|| -> Result<_> {
            if from_stream {
                return Ok(NgramFilter::everything());
            }
            let sketch = Sketch::new();
            let (_, first) = Inputs::new(&target_args, global).run(
                None,
                || SketchFill::new(&sketch, &roles, args.input.t2s),
                global,
            )?;
            elapsed += first.elapsed;
            Ok(sketch.at_least(options.min_hits))
        })
        .transpose()?;
    let candidates = Candidates::new();
    let new = |roles: &Roles| {
        let filter = filter.as_ref();
        Discover::new(options.clone(), roles.clone(), filter, &candidates)
    };
    let (mut found, mut summary) =
        target.run(Some(&matcher), || new(&roles), global)?;
    elapsed += summary.elapsed;
    if !args.reference.is_empty() {
        let mut ref_args = args.input.clone();
        ref_args.inputs = args.reference.clone();
        ref_args.since = None;
        ref_args.until = None;
        let reference = Roles::All(Role::Reference);
        let (r, s) = Inputs::new(&ref_args, global).run(
            Some(&matcher),
            || new(&reference),
            global,
        )?;
        found.merge(r);
        elapsed += s.elapsed;
        summary.merge_run(s);
    }
    let chosen = found.choose(&matcher);
    let wanted = chosen.wanted();
    let t2s = args.input.t2s;
    let mut examples = Examples::new(&wanted, t2s);
    if !wanted.is_empty() {
        let (fetched, s) =
            target.run(None, || Examples::new(&wanted, t2s), global)?;
        examples = fetched;
        elapsed += s.elapsed;
    }
    summary.elapsed = elapsed;
    let (targets, references) = found.documents();
    if !global.quiet {
        if targets == 0 {
            eprintln!("tifa: no document in the target");
        }
        if keyness && references == 0 {
            eprintln!("tifa: no document in the reference");
        }
    }
    emit(&chosen.table(&examples), global)?;
    Ok(finish(&summary, global))
}
