//! What a checked scenario allows but probably does not mean.

use super::*;

/// What a checked scenario allows but probably does not mean, as (field path, message): an
/// attack that starts at or after the end or lasts 0 s (it never acts), a stream sent to its
/// own group, a `fan_in` link group that leaves nodes of its `to` group without a link.
pub(crate) fn warnings(s: &Scenario) -> Vec<(String, String)> {
    let mut w = Vec::new();
    for (i, a) in s.attacks.iter().enumerate() {
        if a.window.start >= s.duration {
            w.push((
                format!("attacks[{i}].start"),
                format!(
                    "`{}` starts at {} but the run ends at {}: it never acts",
                    a.name, a.window.start, s.duration
                ),
            ));
        } else if a.window.duration == Some(SimTime::ZERO) {
            w.push((
                format!("attacks[{i}].duration"),
                format!("`{}` lasts 0s: it never acts", a.name),
            ));
        }
    }
    for (gi, g) in s.groups.iter().enumerate() {
        for (j, st) in g.streams.iter().enumerate() {
            if st.to == gi {
                w.push((
                    format!("{}.streams[{j}].to", g.path),
                    format!(
                        "stream `{}` of group `{}` is sent to its own group: each node sends to a node of `{}`",
                        st.name, g.name, g.name
                    ),
                ));
            }
        }
    }
    for (k, l) in s.links.iter().enumerate() {
        if l.pattern != Pattern::FanIn || l.from.iter().all(|&f| s.radio.roams_to(f, l.to)) {
            continue;
        }
        let parents = s.groups[l.to].count as usize;
        let mut reached = vec![false; parents];
        for &f in &l.from {
            let children = s.groups[f].count as usize;
            for i in 0..children {
                reached[i * parents / children.max(1)] = true;
            }
        }
        let unreached = reached.iter().filter(|r| !**r).count();
        if unreached > 0 {
            w.push((
                format!("links[{k}].pattern"),
                format!(
                    "`fan_in` from {} node(s) to {parents} leaves {unreached} node(s) of `{}` without a link; make `{}` smaller or the `from` groups larger",
                    l.from.iter().map(|&f| s.groups[f].count as usize).sum::<usize>(),
                    s.groups[l.to].name,
                    s.groups[l.to].name
                ),
            ));
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    const WARD: &str = include_str!("../../../examples/ward.yaml");

    #[test]
    fn late_empty_attacks_self_streams_and_sparse_fan_in_are_warned_about() {
        let s = crate::parse(WARD, "ward.yaml").unwrap();
        assert!(warnings(&s).is_empty(), "{:?}", warnings(&s));
        let text = WARD
            .replacen("    rate: 1/min\n", "    rate: 1/min\n    start: 2h\n", 1)
            .replacen(
                "    record_probability: 0.01\n",
                "    record_probability: 0.01\n    duration: 0s\n",
                1,
            )
            .replacen(
                "        size: 32B\n        to: ehr",
                "        size: 32B\n        to: spo2",
                1,
            );
        let s = crate::parse(&text, "ward.yaml").unwrap();
        let w = warnings(&s);
        let paths: Vec<&str> = w.iter().map(|(p, _)| p.as_str()).collect();
        assert!(paths.iter().any(|p| p.ends_with(".start")), "{w:?}");
        assert!(paths.iter().any(|p| p.ends_with(".duration")), "{w:?}");
        assert!(paths.contains(&"sensing[1].streams[0].to"), "{w:?}");
        // 2 sensors sharing 5 hubs in blocks reach 2 of them.
        let mut s = s;
        s.links[0].pattern = Pattern::FanIn;
        s.groups[0].count = 2;
        s.groups[1].count = 2;
        s.groups[2].count = 5;
        let w = warnings(&s);
        assert!(
            w.iter()
                .any(|(p, m)| p == "links[0].pattern" && m.contains("leaves 3 node(s)")),
            "{w:?}"
        );
    }
}
