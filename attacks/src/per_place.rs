//! A value per node or per link that is stored once while every place holds the same one.
//!
//! A scenario deploys most defenses on a few groups, so most of the [`Protection`]'s per-place
//! tables hold their default everywhere: at a million devices each such table of 24-byte
//! options would be 24 MB per replication for nothing. A [`PerPlace`] starts *uniform* — one
//! value and a length — and becomes a plain vector the first time a place is written
//! (`IndexMut`, [`PerPlace::iter_mut`]). Reading is a `match` and, once dense, a vector index:
//! what a reader sees is exactly what a `Vec` filled with the value and then written would
//! show.
//!
//! [`Protection`]: crate::protection::Protection

use std::ops::{Index, IndexMut};

/// `len` places holding a value each, stored once while they are all equal to the first.
#[derive(Clone, Debug, PartialEq)]
pub enum PerPlace<T> {
    /// Every one of `len` places holds `value`.
    Uniform {
        /// The value of every place.
        value: T,
        /// The number of places.
        len: usize,
    },
    /// One value per place.
    Dense(Vec<T>),
}

impl<T: Clone> PerPlace<T> {
    /// `len` places holding `value` (the same as `vec![value; len]`, in one value).
    pub fn uniform(value: T, len: usize) -> Self {
        PerPlace::Uniform { value, len }
    }

    /// The number of places.
    pub fn len(&self) -> usize {
        match self {
            PerPlace::Uniform { len, .. } => *len,
            PerPlace::Dense(v) => v.len(),
        }
    }

    /// Whether there is no place.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of place `i`, `None` past the end (as `slice::get`).
    #[inline]
    pub fn get(&self, i: usize) -> Option<&T> {
        match self {
            PerPlace::Uniform { value, len } => (i < *len).then_some(value),
            PerPlace::Dense(v) => v.get(i),
        }
    }

    /// Asks the memory for place `i`'s value (`sim_core::prefetch`); nothing for a uniform
    /// value, which is always at hand. Changes nothing.
    #[inline]
    pub fn prefetch(&self, i: usize) {
        if let PerPlace::Dense(v) = self {
            sim_core::prefetch::prefetch_at(v, i);
        }
    }

    /// Every place's value, in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        (0..self.len()).map(move |i| &self[i])
    }

    /// Every place's value, mutably, in order (the table becomes one value per place).
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.dense().iter_mut()
    }

    /// The table as one value per place, expanding a uniform one.
    #[cold]
    fn expand(value: &T, len: usize) -> Vec<T> {
        vec![value.clone(); len]
    }

    /// The per-place vector, made on the first write.
    #[inline]
    fn dense(&mut self) -> &mut Vec<T> {
        if let PerPlace::Uniform { value, len } = self {
            *self = PerPlace::Dense(Self::expand(value, *len));
        }
        match self {
            PerPlace::Dense(v) => v,
            PerPlace::Uniform { .. } => unreachable!("expanded just above"),
        }
    }

    /// Whether the table is still stored as one value.
    #[cfg(test)]
    fn is_uniform(&self) -> bool {
        matches!(self, PerPlace::Uniform { .. })
    }
}

impl<T: Clone> Index<usize> for PerPlace<T> {
    type Output = T;

    /// The value of place `i`; panics past the end, as a slice does.
    #[inline]
    fn index(&self, i: usize) -> &T {
        match self {
            PerPlace::Uniform { value, len } => {
                assert!(i < *len, "place {i} out of {len}");
                value
            }
            PerPlace::Dense(v) => &v[i],
        }
    }
}

impl<T: Clone> IndexMut<usize> for PerPlace<T> {
    /// Place `i`, to write: the table becomes one value per place.
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.dense()[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_as_the_vector_it_stands_for_before_and_after_writes() {
        let mut table = PerPlace::uniform(Some(7u32), 5);
        let mut reference = vec![Some(7u32); 5];
        assert!(table.is_uniform());
        assert_eq!(table.len(), 5);
        for i in 0..6 {
            assert_eq!(table.get(i), reference.get(i));
        }
        assert_eq!(table[4], Some(7));
        assert!(table.iter().eq(reference.iter()));
        table[2] = None;
        reference[2] = None;
        assert!(!table.is_uniform());
        for i in 0..6 {
            assert_eq!(table.get(i), reference.get(i));
        }
        for (x, r) in table.iter_mut().zip(reference.iter_mut()) {
            *x = x.map(|v| v + 1);
            *r = r.map(|v| v + 1);
        }
        assert!(table.iter().eq(reference.iter()));
        assert_eq!(table, PerPlace::Dense(reference));
    }

    #[test]
    #[should_panic(expected = "place 3 out of 3")]
    fn a_uniform_table_refuses_a_place_past_its_end() {
        let table = PerPlace::uniform(0u8, 3);
        let _ = table[3];
    }

    #[test]
    fn an_empty_table_has_no_place() {
        let table = PerPlace::uniform(1.0f64, 0);
        assert!(table.is_empty());
        assert_eq!(table.get(0), None);
        assert_eq!(table.iter().count(), 0);
    }
}
