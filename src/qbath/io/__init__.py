"""Results as ``xarray.Dataset`` objects and netCDF files (extra ``io``: xarray, netCDF4).

>>> ds = qb.io.to_dataset(result, expect={"Z": qb.sigmaz()})   # doctest: +SKIP
>>> qb.io.save(ds, "run.nc"); qb.io.load("run.nc")             # doctest: +SKIP
"""

from ._attrs import attrs_from_meta as attrs_from_meta
from ._attrs import meta_from_attrs as meta_from_attrs
from ._attrs import to_jsonable as to_jsonable
from ._dataset import load as load
from ._dataset import result_parts as result_parts
from ._dataset import save as save
from ._dataset import to_dataset as to_dataset
from ._dataset import to_dataset_parts as to_dataset_parts
from ._dataset import write_netcdf as write_netcdf
