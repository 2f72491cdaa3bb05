-- Minimal test harness: `describe`, `it` and `expect` become globals of every importer.
local results = { passed = 0, failed = 0, failures = {} }

local function describe(name: string, body: () -> ())
    results.suite = name
    body()
end

local function it(name: string, body: () -> ())
    local ok, err = pcall(body)
    if ok then
        results.passed = results.passed + 1
    else
        results.failed = results.failed + 1
        table.insert(results.failures, name .. ": " .. tostring(err))
    end
end

local function expect(actual: any)
    return {
        to_be = function(expected: any)
            if actual ~= expected then
                error(string.format("expected %s, got %s", tostring(expected), tostring(actual)), 2)
            end
        end,
    }
end

_G.describe = describe
_G.it = it
_G.expect = expect

return {
    results = function()
        return results
    end,
    -- Start a new run (the library is loaded once per runtime and shared by every test).
    reset = function()
        results = { passed = 0, failed = 0, failures = {} }
    end,
    -- `true`, or `false` and every failure joined, for a test entry to return.
    verdict = function(): (boolean, string?)
        if results.failed > 0 then
            return false, table.concat(results.failures, "; ")
        end
        return true
    end,
}
