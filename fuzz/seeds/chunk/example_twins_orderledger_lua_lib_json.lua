-- A small JSON encoder/decoder for twin handlers (pure Lua, Luau-compatible).
local json = {}

local escapes = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

local function is_array(t)
    local n = 0
    for k in pairs(t) do
        if type(k) ~= "number" or k <= 0 or k % 1 ~= 0 then
            return false, 0
        end
        if k > n then
            n = k
        end
    end
    return n == #t, n
end

local encode_value

local function encode_string(s)
    return '"' .. s:gsub('[%c"\\]', function(c)
        return escapes[c] or string.format("\\u%04x", string.byte(c))
    end) .. '"'
end

local function encode_table(t, depth)
    if depth > 64 then
        error("json.encode: nesting too deep")
    end
    local array, n = is_array(t)
    local parts = {}
    if array and (n > 0 or next(t) == nil) then
        for i = 1, n do
            parts[i] = encode_value(t[i], depth + 1)
        end
        return "[" .. table.concat(parts, ",") .. "]"
    end
    local keys = {}
    for k in pairs(t) do
        table.insert(keys, tostring(k))
    end
    table.sort(keys)
    for _, k in ipairs(keys) do
        local v = t[k]
        if v == nil then
            v = t[tonumber(k)]
        end
        table.insert(parts, encode_string(k) .. ":" .. encode_value(v, depth + 1))
    end
    return "{" .. table.concat(parts, ",") .. "}"
end

encode_value = function(v, depth)
    local kind = type(v)
    if kind == "nil" then
        return "null"
    elseif kind == "boolean" then
        return v and "true" or "false"
    elseif kind == "number" then
        if v ~= v or v == math.huge or v == -math.huge then
            error("json.encode: cannot encode " .. tostring(v))
        end
        if v % 1 == 0 and v > -1e15 and v < 1e15 then
            return string.format("%d", v)
        end
        return string.format("%.14g", v)
    elseif kind == "string" then
        return encode_string(v)
    elseif kind == "table" then
        return encode_table(v, depth)
    end
    error("json.encode: cannot encode a " .. kind)
end

function json.encode(v)
    return encode_value(v, 0)
end

local function decode_error(s, i, what)
    error(string.format("json.decode: %s at byte %d", what, i))
end

local function skip(s, i)
    local _, e = string.find(s, "^[ \t\r\n]*", i)
    return e + 1
end

local decode_value

local unescape = { b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/" }

-- A string starting at the quote at i: plain runs are taken whole, escapes one by one.
local function decode_string(s, i)
    local j = i + 1
    local stop = string.find(s, '["\\]', j)
    if stop and string.byte(s, stop) == 34 then
        return string.sub(s, j, stop - 1), stop + 1
    end
    local out = {}
    while true do
        if not stop then
            decode_error(s, j, "unterminated string")
        end
        out[#out + 1] = string.sub(s, j, stop - 1)
        if string.byte(s, stop) == 34 then
            return table.concat(out), stop + 1
        end
        local e = string.sub(s, stop + 1, stop + 1)
        if unescape[e] then
            out[#out + 1] = unescape[e]
            j = stop + 2
        elseif e == "u" then
            local code = tonumber(string.sub(s, stop + 2, stop + 5), 16)
            if not code then
                decode_error(s, stop, "bad unicode escape")
            end
            out[#out + 1] = utf8.char(code)
            j = stop + 6
        else
            decode_error(s, stop, "bad escape")
        end
        stop = string.find(s, '["\\]', j)
    end
end

local function decode_object(s, i, depth)
    local obj = {}
    local j = skip(s, i + 1)
    if string.byte(s, j) == 125 then
        return obj, j + 1
    end
    while true do
        if string.byte(s, j) ~= 34 then
            decode_error(s, j, "expected a string key")
        end
        local key, k = decode_string(s, j)
        k = skip(s, k)
        if string.byte(s, k) ~= 58 then
            decode_error(s, k, "expected ':'")
        end
        local value
        value, j = decode_value(s, k + 1, depth + 1)
        obj[key] = value
        j = skip(s, j)
        local c = string.byte(s, j)
        if c == 125 then
            return obj, j + 1
        elseif c ~= 44 then
            decode_error(s, j, "expected ',' or '}'")
        end
        j = skip(s, j + 1)
    end
end

local function decode_array(s, i, depth)
    local arr, n = {}, 0
    local j = skip(s, i + 1)
    if string.byte(s, j) == 93 then
        return arr, j + 1
    end
    while true do
        local value
        value, j = decode_value(s, j, depth + 1)
        n = n + 1
        arr[n] = value
        j = skip(s, j)
        local c = string.byte(s, j)
        if c == 93 then
            return arr, j + 1
        elseif c ~= 44 then
            decode_error(s, j, "expected ',' or ']'")
        end
        j = skip(s, j + 1)
    end
end

decode_value = function(s, i, depth)
    if depth > 64 then
        decode_error(s, i, "nesting too deep")
    end
    i = skip(s, i)
    local c = string.byte(s, i)
    if c == 123 then
        return decode_object(s, i, depth)
    elseif c == 91 then
        return decode_array(s, i, depth)
    elseif c == 34 then
        return decode_string(s, i)
    end
    local literal = string.match(s, "^%-?%d+%.?%d*[eE]?[-+]?%d*", i)
    if literal then
        return tonumber(literal), i + #literal
    elseif string.sub(s, i, i + 3) == "true" then
        return true, i + 4
    elseif string.sub(s, i, i + 4) == "false" then
        return false, i + 5
    elseif string.sub(s, i, i + 3) == "null" then
        return nil, i + 4
    end
    decode_error(s, i, "unexpected character")
end

-- Decode a JSON text; returns nil for an empty or invalid body instead of raising.
function json.decode(s)
    if type(s) ~= "string" or s == "" then
        return nil
    end
    local ok, value = pcall(function()
        local v, j = decode_value(s, 1, 0)
        if skip(s, j) <= #s then
            decode_error(s, j, "trailing data")
        end
        return v
    end)
    if ok then
        return value
    end
    return nil
end

return json
