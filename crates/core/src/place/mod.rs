//! Geography: postcodes, small areas, deprivation and the area of benefit.

pub mod postcode;
