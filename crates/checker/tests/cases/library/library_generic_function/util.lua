-- A library exporting a generic helper.
local util = {}

function util.first<T>(xs: {T}): T?
    return xs[1]
end

return util
