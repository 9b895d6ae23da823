//! Typed indices for the things a simulation holds in vectors.

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The position in the owning vector.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

id_type!(
    /// A node of the topology (a sensor, a hub, a gateway, a cloud service); equals its
    /// petgraph node index.
    NodeId,
    "n"
);
id_type!(
    /// A link of the topology; equals its petgraph edge index.
    LinkId,
    "l"
);
id_type!(
    /// A traffic source (one stream of one device).
    SourceId,
    "s"
);
id_type!(
    /// A monitored patient: the owner of the readings of the devices they wear.
    PatientId,
    "p"
);
