//! The consortium model handed to a MILP solver (good_lp with microlp, pure
//! Rust): the cross-check of the branch and bound in the tests, and the
//! solver for lots with more requirements than the branch and bound's bit
//! sets hold.
//!
//! The alternatives come one solve at a time: each consortium found is cut
//! off with all its supersets (Σ_{e∈S} x_e ≤ |S| − 1), so the next solve
//! finds the best consortium not containing one already proposed. A
//! solution in which a member is not needed contains a smaller consortium
//! (one below the fewest members asked for): that one is cut off and the
//! solve repeated, without proposing either.

use good_lp::{
    Expression, ResolutionError, Solution, SolverModel, Variable, constraint, microlp, variable,
    variables,
};

use super::consortium::{Model, Options};

/// The best consortia, best first, or the solver's error. Equal objectives
/// come in the solver's order.
pub fn best(model: &Model, options: Options) -> Result<Vec<Vec<u32>>, ResolutionError> {
    let mut out: Vec<Vec<u32>> = Vec::new();
    if options.alternatives == 0 || !model.blockers.is_empty() {
        return Ok(out);
    }
    if model.feasible(&[]) {
        return Ok(model.each_alone(options));
    }
    let mut cuts: Vec<Vec<u32>> = Vec::new();
    let mut most = model.candidates.len();
    let fewest = options.min_members.max(1);
    while out.len() < options.alternatives {
        let set = match solve_once(model, &cuts, fewest, most) {
            Ok(set) => set,
            Err(ResolutionError::Infeasible) => break,
            Err(e) => return Err(e),
        };
        if model.minimal(&set) {
            if out.is_empty() {
                most = (set.len() + options.extra_members).min(most);
            }
            out.push(set.clone());
            cuts.push(set);
        } else {
            cuts.push(shrink(model, set));
        }
    }
    Ok(out)
}

/// A consortium inside `set` in which every member is needed.
fn shrink(model: &Model, mut set: Vec<u32>) -> Vec<u32> {
    let mut i = 0;
    while i < set.len() {
        let c = set.remove(i);
        if !model.feasible(&set) {
            set.insert(i, c);
            i += 1;
        }
    }
    set
}

fn solve_once(
    model: &Model,
    cuts: &[Vec<u32>],
    fewest: usize,
    most: usize,
) -> Result<Vec<u32>, ResolutionError> {
    let n = model.candidates.len();
    let mut vars = variables!();
    let x: Vec<Variable> = (0..n).map(|_| vars.add(variable().binary())).collect();
    let weight = model.member_weight() as f64;
    let objective: Expression = (0..n)
        .map(|c| (weight - f64::from(model.locality[c])) * x[c])
        .sum();
    let mut problem = vars.minimise(objective).using(microlp);
    for row in &model.rows {
        let sum: Expression = row.met_by.iter().map(|&c| x[c as usize]).sum();
        problem.add_constraint(constraint!(sum >= 1));
    }
    if model.turnover_required > 0 {
        let sum: Expression = (0..n).map(|c| model.turnover[c] as f64 * x[c]).sum();
        problem.add_constraint(constraint!(sum >= model.turnover_required as f64));
    }
    if model.value > 0 {
        let sum: Expression = (0..n).map(|c| model.capacity[c] as f64 * x[c]).sum();
        problem.add_constraint(constraint!(sum >= model.value as f64));
    }
    let members: Expression = x.iter().copied().sum();
    problem.add_constraint(constraint!(members.clone() >= fewest as f64));
    problem.add_constraint(constraint!(members <= most as f64));
    for cut in cuts {
        let sum: Expression = cut.iter().map(|&c| x[c as usize]).sum();
        problem.add_constraint(constraint!(sum <= cut.len() as f64 - 1.0));
    }
    let solution = problem.solve()?;
    let set: Vec<u32> = (0..n as u32)
        .filter(|&c| solution.value(x[c as usize]) > 0.5)
        .collect();
    // The solver's tolerances must not let a consortium short by a penny through.
    if model.feasible(&set) {
        Ok(set)
    } else {
        Err(ResolutionError::Str(
            "the MILP solver returned a consortium that does not meet the lot".into(),
        ))
    }
}
