//! Where each group's nodes stand: named areas and the `grid`, `list`, `random` and `on_body`
//! placements, checked and turned into positions.

use super::*;

/// A named rectangle on the floor plane (a room, a ward, a home).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct RawArea {
    /// South-west corner `[x, y]`, m.
    pub origin: Vec<f64>,
    /// Extent `[width east, depth north]`, m, both > 0.
    pub size: Vec<f64>,
}

/// Where a group's nodes stand, in metres: exactly one of `grid`, `list`, `random`, `on_body`.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct RawPlacement {
    /// Row by row from an origin.
    pub grid: Option<RawGrid>,
    /// One coordinate per node, `[x, y]` or `[x, y, z]`, m; node `i` takes entry `i`.
    pub list: Option<Vec<Vec<f64>>>,
    /// Uniform in a rectangle.
    pub random: Option<RawRandom>,
    /// At an offset from the paired node of another group.
    pub on_body: Option<RawOnBody>,
    /// A top-level `areas:` name every node of the group must stand in (on the floor plane;
    /// `z` is free): a node outside it is an error giving its distance from the area.
    pub area: Option<String>,
}

/// A grid placement.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct RawGrid {
    /// Distance between neighbours, m (> 0).
    pub spacing: f64,
    /// First node's `[x, y]` or `[x, y, z]`, m; default `[0, 0]`.
    pub origin: Option<Vec<f64>>,
    /// Nodes per row; default: one row.
    pub columns: Option<u32>,
}

/// A random placement: a named `area`, or `origin` and `size` given here.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct RawRandom {
    /// A top-level `areas:` name.
    pub area: Option<String>,
    /// South-west corner `[x, y]`, m (without `area`).
    pub origin: Option<Vec<f64>>,
    /// `[width, depth]`, m (without `area`).
    pub size: Option<Vec<f64>>,
}

/// On a body: node `i` stands at `offset` from node `i mod count` of group `of` (a body sensor
/// around its hub).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct RawOnBody {
    /// The group it is worn with.
    pub of: String,
    /// `[dx, dy]` or `[dx, dy, dz]` from that node, m.
    pub offset: Vec<f64>,
}

/// The one placement a [`RawPlacement`] gives.
enum Placement<'a> {
    Grid(&'a RawGrid),
    List(&'a [Vec<f64>]),
    Random(&'a RawRandom),
    OnBody(&'a RawOnBody),
}

impl RawPlacement {
    fn one(&self) -> Result<Placement<'_>, usize> {
        let mut found = Vec::new();
        if let Some(g) = &self.grid {
            found.push(Placement::Grid(g));
        }
        if let Some(l) = &self.list {
            found.push(Placement::List(l));
        }
        if let Some(r) = &self.random {
            found.push(Placement::Random(r));
        }
        if let Some(o) = &self.on_body {
            found.push(Placement::OnBody(o));
        }
        if found.len() == 1 {
            Ok(found.remove(0))
        } else {
            Err(found.len())
        }
    }
}

pub(super) fn point(p: &mut Problems, path: &str, v: &[f64]) -> Option<Position> {
    if !(2..=3).contains(&v.len()) {
        p.add(
            path,
            format!(
                "a coordinate is `[x, y]` or `[x, y, z]` in metres, found {} numbers",
                v.len()
            ),
        );
        return None;
    }
    if let Some(bad) = v
        .iter()
        .find(|c| !c.is_finite() || c.abs() > MAX_COORDINATE_M)
    {
        p.add(
            path,
            format!(
                "a coordinate is a finite number of metres within ±{MAX_COORDINATE_M}, found {bad}"
            ),
        );
        return None;
    }
    Some(Position {
        x: v[0],
        y: v[1],
        z: v.get(2).copied().unwrap_or(0.0),
    })
}

fn rectangle(
    p: &mut Problems,
    path: &str,
    origin: &[f64],
    size: &[f64],
) -> Option<(Position, [f64; 2])> {
    let o = point(p, &format!("{path}.origin"), origin)?;
    let s = point(p, &format!("{path}.size"), size)?;
    if s.x <= 0.0 || s.y <= 0.0 {
        p.add(
            format!("{path}.size"),
            format!(
                "an area's width and depth are > 0 m, found [{}, {}]",
                s.x, s.y
            ),
        );
        return None;
    }
    Some((o, [s.x, s.y]))
}

/// How far `at` lies outside the rectangle `(o, [w, d])` on the floor plane, m (0 inside or
/// on its edge): the distance to its nearest point.
fn outside(at: Position, (o, [w, d]): (Position, [f64; 2])) -> f64 {
    let dx = (o.x - at.x).max(at.x - (o.x + w)).max(0.0);
    let dy = (o.y - at.y).max(at.y - (o.y + d)).max(0.0);
    dx.hypot(dy)
}

/// Every node of group `g`, placed at `at`, stands in area `name`: else an error per node
/// outside (the first three; then a count), at the list entry for a list placement, else at
/// the placement's `area`.
#[allow(clippy::too_many_arguments)]
fn check_area(
    p: &mut Problems,
    ppath: &str,
    g: &RawGroup,
    at: &[Position],
    name: &str,
    areas: &BTreeMap<&str, (Position, [f64; 2])>,
    area_names: &[&str],
    pl: &Placement<'_>,
) {
    let Some(&rect) = areas.get(name) else {
        if !area_names.contains(&name) {
            p.add(
                format!("{ppath}.area"),
                format!("no area named `{name}`{}", suggest(name, area_names)),
            );
        }
        return;
    };
    let (o, [w, d]) = rect;
    let out: Vec<(usize, f64)> = at
        .iter()
        .enumerate()
        .map(|(i, &a)| (i, outside(a, rect)))
        .filter(|&(_, d)| d > 1e-9)
        .collect();
    for &(i, dist) in out.iter().take(3) {
        let field = match pl {
            Placement::List(_) => format!("{ppath}.list[{i}]"),
            _ => format!("{ppath}.area"),
        };
        let more = if out.len() > 3 && i == out[2].0 {
            format!(" ({} more nodes outside it)", out.len() - 3)
        } else {
            String::new()
        };
        p.add(
            field,
            format!(
                "node {i} of `{}` stands at [{:.2}, {:.2}], {dist:.2} m outside area `{name}` (from [{}, {}] to [{}, {}]){more}",
                g.group,
                at[i].x,
                at[i].y,
                o.x,
                o.y,
                o.x + w,
                o.y + d
            ),
        );
    }
}

/// Places every group that has a `placement`; `groups` are the raw groups in checked order
/// with their counts and field paths.
pub(crate) fn place(
    p: &mut Problems,
    raw: &RawScenario,
    groups: &[(&RawGroup, u32, String)],
    seed: u64,
) -> Vec<Option<Vec<Position>>> {
    let areas: BTreeMap<&str, (Position, [f64; 2])> = raw
        .areas
        .iter()
        .filter_map(|(name, a)| {
            let r = rectangle(p, &format!("areas.{name}"), &a.origin, &a.size)?;
            Some((name.as_str(), r))
        })
        .collect();
    let area_names: Vec<&str> = raw.areas.keys().map(String::as_str).collect();
    let names: Vec<&str> = groups.iter().map(|(g, _, _)| g.group.as_str()).collect();
    let mut out: Vec<Option<Vec<Position>>> = vec![None; groups.len()];
    // Absolute placements first, then on-body ones (which need their partner's), in passes.
    let mut pending: Vec<usize> = (0..groups.len()).collect();
    for _pass in 0..=groups.len() {
        let mut next = Vec::new();
        for &k in &pending {
            let (g, count, path) = &groups[k];
            let Some(raw_pl) = &g.placement else { continue };
            let ppath = format!("{path}.placement");
            let pl = match raw_pl.one() {
                Ok(pl) => pl,
                Err(n) => {
                    p.add(
                        &ppath,
                        format!("a placement is exactly one of `grid`, `list`, `random`, `on_body`; found {n}"),
                    );
                    continue;
                }
            };
            let n = *count as usize;
            let placed = match pl {
                Placement::Grid(RawGrid {
                    spacing,
                    origin,
                    columns,
                }) => {
                    if !(spacing.is_finite() && *spacing > 0.0 && *spacing <= MAX_COORDINATE_M) {
                        p.add(
                            format!("{ppath}.grid.spacing"),
                            format!("the spacing is a number of metres > 0, found {spacing}"),
                        );
                        continue;
                    }
                    let o = match origin {
                        Some(o) => match point(p, &format!("{ppath}.grid.origin"), o) {
                            Some(o) => o,
                            None => continue,
                        },
                        None => Position::default(),
                    };
                    let cols = columns.unwrap_or(*count).max(1) as usize;
                    Some(
                        (0..n)
                            .map(|i| Position {
                                x: o.x + spacing * (i % cols) as f64,
                                y: o.y + spacing * (i / cols) as f64,
                                z: o.z,
                            })
                            .collect(),
                    )
                }
                Placement::List(list) => {
                    if list.len() != n {
                        p.add(
                            format!("{ppath}.list"),
                            format!(
                                "`{}` has {n} nodes, so its list needs {n} coordinates; found {}",
                                g.group,
                                list.len()
                            ),
                        );
                        continue;
                    }
                    list.iter()
                        .enumerate()
                        .map(|(i, c)| point(p, &format!("{ppath}.list[{i}]"), c))
                        .collect::<Option<Vec<_>>>()
                }
                Placement::Random(RawRandom { area, origin, size }) => {
                    let rect = match (area, origin, size) {
                        (Some(a), None, None) => match areas.get(a.as_str()) {
                            Some(r) => Some(*r),
                            None => {
                                if !area_names.contains(&a.as_str()) {
                                    p.add(
                                        format!("{ppath}.random.area"),
                                        format!("no area named `{a}`{}", suggest(a, &area_names)),
                                    );
                                }
                                None
                            }
                        },
                        (None, Some(o), Some(s)) => rectangle(p, &format!("{ppath}.random"), o, s),
                        _ => {
                            p.add(
                                format!("{ppath}.random"),
                                "a random placement takes an `area` name, or an `origin` and a `size`",
                            );
                            None
                        }
                    };
                    rect.map(|(o, [w, d])| {
                        let mut s = rng::stream(seed, &format!("placement:{}", g.group));
                        (0..n)
                            .map(|_| Position {
                                x: o.x + w * s.random::<f64>(),
                                y: o.y + d * s.random::<f64>(),
                                z: o.z,
                            })
                            .collect()
                    })
                }
                Placement::OnBody(RawOnBody { of, offset }) => {
                    let Some(partner) = names.iter().position(|x| x == of) else {
                        p.add(
                            format!("{ppath}.on_body.of"),
                            format!("no group named `{of}`{}", suggest(of, &names)),
                        );
                        continue;
                    };
                    let Some(d) = point(p, &format!("{ppath}.on_body.offset"), offset) else {
                        continue;
                    };
                    if groups[partner].0.placement.is_none() {
                        p.add(
                            format!("{ppath}.on_body.of"),
                            format!("`{of}` has no placement, so `{}` cannot be worn on it; give `{of}` a `placement`", g.group),
                        );
                        continue;
                    }
                    match &out[partner] {
                        Some(at) => Some(
                            (0..n)
                                .map(|i| {
                                    let b = at[i % at.len()];
                                    Position {
                                        x: b.x + d.x,
                                        y: b.y + d.y,
                                        z: b.z + d.z,
                                    }
                                })
                                .collect(),
                        ),
                        None => {
                            next.push(k);
                            None
                        }
                    }
                }
            };
            if let (Some(at), Some(name)) = (&placed, &raw_pl.area) {
                check_area(p, &ppath, g, at, name, &areas, &area_names, &pl);
            }
            out[k] = placed;
        }
        if next.is_empty() || next.len() == pending.len() {
            for &k in next.iter().filter(|_| next.len() == pending.len()) {
                p.add(
                    format!("{}.placement.on_body.of", groups[k].2),
                    "on-body placements refer to each other in a circle; one of them needs a grid, list or random placement",
                );
            }
            break;
        }
        pending = next;
    }
    out
}
