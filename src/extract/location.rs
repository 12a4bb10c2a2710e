//! Locations: Couinaud segments and liver lobes in every common writing.
