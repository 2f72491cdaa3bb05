-- A library with a dependency in a field.
local M = {}
M._http = { get = function(url: string) return url end }

function M.fetch(url: string): string
    return M._http.get(url)
end

return M
