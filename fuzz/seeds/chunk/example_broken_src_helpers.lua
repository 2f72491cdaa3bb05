-- A library that defines a global for its importers, like the Wippy test library.
local helpers = {}

function helpers.double(x: number): number
    return x * 2
end

_G.check_that = function(cond: boolean, msg: string?)
    if not cond then
        error(msg or "check failed")
    end
end

return helpers
