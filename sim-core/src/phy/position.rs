//! Where a radio is: a point in metres in the scenario's frame (x east, y north, z up).

/// A position in metres.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Position {
    /// East, m.
    pub x: f64,
    /// North, m.
    pub y: f64,
    /// Up, m.
    pub z: f64,
}

impl Position {
    /// A point on the floor plane (z = 0).
    pub const fn new(x: f64, y: f64) -> Position {
        Position { x, y, z: 0.0 }
    }

    /// Euclidean distance to `other`, m.
    #[inline]
    pub fn distance(self, other: Position) -> f64 {
        let (dx, dy, dz) = (self.x - other.x, self.y - other.y, self.z - other.z);
        (dx * dx + dy * dy + dz * dz).sqrt()
    }

    /// Whether every coordinate is a finite number.
    pub fn is_finite(self) -> bool {
        self.x.is_finite() && self.y.is_finite() && self.z.is_finite()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_is_euclidean_and_symmetric() {
        let a = Position::new(0.0, 0.0);
        let b = Position {
            x: 3.0,
            y: 4.0,
            z: 12.0,
        };
        assert_eq!(a.distance(b), 13.0);
        assert_eq!(b.distance(a), 13.0);
        assert!(!Position::new(f64::NAN, 0.0).is_finite());
    }
}
