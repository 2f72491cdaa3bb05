-- sql.builder: a squirrel-style fluent SQL builder (Wippy runtime sql/builder*.go).
-- Builders are immutable: every method returns a new builder. Loaded once per runtime by
-- modules/sql/mod.rs, which passes `host` = { is_null = fn(v) -> boolean, invalid = fn(msg) -> error }.
local host = ...

local function list(src, ...)
	local out = {}
	for i = 1, #src do
		out[i] = src[i]
	end
	for i = 1, select("#", ...) do
		out[#out + 1] = (select(i, ...))
	end
	return out
end

local function clone(b, field, value)
	local c = setmetatable({}, getmetatable(b))
	for k, v in pairs(b) do
		c[k] = v
	end
	c[field] = value
	return c
end

local function is_sqlizer(v)
	return type(v) == "table" and type(v.to_sql) == "function"
end

local function extend(args, more)
	for i = 1, #more do
		args[#args + 1] = more[i]
	end
end

local Sqlizer = {}
Sqlizer.__index = Sqlizer

local function sqlizer(sql, args)
	return setmetatable({ sql = sql, args = args }, Sqlizer)
end

function Sqlizer:to_sql()
	return self.sql, list(self.args), nil
end

local function sorted_keys(map)
	local keys = {}
	for k in pairs(map) do
		if type(k) ~= "string" then
			return nil, "condition keys must be column names"
		end
		keys[#keys + 1] = k
	end
	table.sort(keys)
	return keys
end

local function compare(op, negated_in, null_test)
	return function(conditions)
		local keys, problem = sorted_keys(conditions or {})
		if not keys then
			error(problem, 2)
		end
		local parts, args = {}, {}
		for _, k in ipairs(keys) do
			local v = conditions[k]
			if null_test and host.is_null(v) then
				parts[#parts + 1] = k .. null_test
			elseif type(v) == "table" and not is_sqlizer(v) and negated_in then
				local marks = {}
				for i = 1, #v do
					marks[i] = "?"
					args[#args + 1] = v[i]
				end
				parts[#parts + 1] = k .. negated_in .. "(" .. table.concat(marks, ",") .. ")"
			else
				parts[#parts + 1] = k .. " " .. op .. " ?"
				args[#args + 1] = v
			end
		end
		return sqlizer(table.concat(parts, " AND "), args)
	end
end

local function junction(word)
	return function(conditions)
		local parts, args = {}, {}
		for _, c in ipairs(conditions or {}) do
			local sql, a = c:to_sql()
			parts[#parts + 1] = sql
			extend(args, a)
		end
		if #parts == 0 then
			return sqlizer("", args)
		end
		return sqlizer("(" .. table.concat(parts, " " .. word .. " ") .. ")", args)
	end
end

-- A where/having condition: a string with arguments, a Sqlizer, or a column -> value map.
local function condition(c, ...)
	if type(c) == "string" then
		return { sql = c, args = { ... } }
	elseif is_sqlizer(c) then
		local sql, args = c:to_sql()
		return { sql = sql, args = args }
	elseif type(c) == "table" then
		local sql, args = compare("=", " IN ", " IS NULL")(c):to_sql()
		return { sql = sql, args = args }
	end
	error("a condition must be a string, a map or an expression", 3)
end

local function clause(sql, args, keyword, items, sep)
	local parts = {}
	for _, it in ipairs(items) do
		if it.sql ~= "" then
			parts[#parts + 1] = it.sql
			extend(args, it.args)
		end
	end
	if #parts > 0 then
		sql[#sql + 1] = keyword .. table.concat(parts, sep)
	end
end

local function placeholders(sql, format)
	if format == nil or format == "question" then
		return sql
	end
	local n = 0
	return (sql:gsub("%?", function()
		n = n + 1
		if format == "dollar" then
			return "$" .. n
		elseif format == "at" then
			return "@p" .. n
		else
			return ":" .. n
		end
	end))
end

local function finish(b, sql, args)
	return placeholders(table.concat(sql, " "), b._format), args, nil
end

local function tail(b, sql, args)
	if b._order and #b._order > 0 then
		sql[#sql + 1] = "ORDER BY " .. table.concat(b._order, ", ")
	end
	if b._limit then
		sql[#sql + 1] = "LIMIT " .. math.floor(b._limit)
	end
	if b._offset then
		sql[#sql + 1] = "OFFSET " .. math.floor(b._offset)
	end
	clause(sql, args, "", b._suffixes or {}, " ")
end

local Executor = {}
Executor.__index = Executor

function Executor:query()
	if self.err then
		return nil, self.err
	end
	return self.runner:query(self.sql, self.args)
end

function Executor:exec()
	if self.err then
		return nil, self.err
	end
	return self.runner:execute(self.sql, self.args)
end

function Executor:to_sql()
	return self.sql, list(self.args), self.err
end

local function common(class)
	class.__index = class
	function class:where(condition_, ...)
		return clone(self, "_where", list(self._where or {}, condition(condition_, ...)))
	end
	function class:order_by(...)
		return clone(self, "_order", list(self._order or {}, ...))
	end
	function class:limit(count)
		return clone(self, "_limit", count)
	end
	function class:offset(offset)
		return clone(self, "_offset", offset)
	end
	function class:suffix(sql, ...)
		return clone(self, "_suffixes", list(self._suffixes or {}, { sql = sql, args = { ... } }))
	end
	function class:placeholder_format(format)
		return clone(self, "_format", format)
	end
	function class:run_with(runner)
		local sql, args, err = self:to_sql()
		return setmetatable({ runner = runner, sql = sql, args = args, err = err }, Executor)
	end
	return class
end

local Select = common({})

function Select:from(table_, ...)
	return clone(self, "_from", { sql = table_, args = { ... } })
end

local function join(kind)
	return function(self, table_, ...)
		return clone(self, "_joins", list(self._joins or {}, { sql = kind .. table_, args = { ... } }))
	end
end
Select.join = join("JOIN ")
Select.left_join = join("LEFT JOIN ")
Select.right_join = join("RIGHT JOIN ")
Select.inner_join = join("INNER JOIN ")

function Select:group_by(...)
	return clone(self, "_group", list(self._group or {}, ...))
end

function Select:having(condition_, ...)
	return clone(self, "_having", list(self._having or {}, condition(condition_, ...)))
end

function Select:columns(...)
	return clone(self, "_columns", list(self._columns or {}, ...))
end

function Select:distinct()
	return clone(self, "_distinct", true)
end

function Select:to_sql()
	if not self._columns or #self._columns == 0 then
		return nil, nil, host.invalid("select statements must have at least one result column")
	end
	local sql, args = { (self._distinct and "SELECT DISTINCT " or "SELECT ") .. table.concat(self._columns, ", ") }, {}
	if self._from then
		sql[#sql + 1] = "FROM " .. self._from.sql
		extend(args, self._from.args)
	end
	clause(sql, args, "", self._joins or {}, " ")
	clause(sql, args, "WHERE ", self._where or {}, " AND ")
	if self._group and #self._group > 0 then
		sql[#sql + 1] = "GROUP BY " .. table.concat(self._group, ", ")
	end
	clause(sql, args, "HAVING ", self._having or {}, " AND ")
	tail(self, sql, args)
	return finish(self, sql, args)
end

local Insert = common({})
Insert.where, Insert.order_by, Insert.limit, Insert.offset = nil, nil, nil, nil

function Insert:into(table_)
	return clone(self, "_table", table_)
end

function Insert:columns(...)
	return clone(self, "_columns", list(self._columns or {}, ...))
end

function Insert:values(...)
	return clone(self, "_rows", list(self._rows or {}, { ... }))
end

function Insert:set_map(map)
	local keys = sorted_keys(map) or {}
	local row = {}
	for i, k in ipairs(keys) do
		row[i] = map[k]
	end
	return clone(clone(self, "_columns", keys), "_rows", { row })
end

function Insert:select(builder)
	return clone(self, "_select", builder)
end

function Insert:prefix(sql, ...)
	return clone(self, "_prefixes", list(self._prefixes or {}, { sql = sql, args = { ... } }))
end

function Insert:options(...)
	return clone(self, "_options", list(self._options or {}, ...))
end

local function value_sql(v, args)
	if is_sqlizer(v) then
		local s, a = v:to_sql()
		extend(args, a)
		return s
	end
	args[#args + 1] = v
	return "?"
end

function Insert:to_sql()
	if not self._table or self._table == "" then
		return nil, nil, host.invalid("insert statements must specify a table")
	end
	local sql, args = {}, {}
	clause(sql, args, "", self._prefixes or {}, " ")
	local head = "INSERT "
	if self._options and #self._options > 0 then
		head = head .. table.concat(self._options, " ") .. " "
	end
	head = head .. "INTO " .. self._table
	if self._columns and #self._columns > 0 then
		head = head .. " (" .. table.concat(self._columns, ",") .. ")"
	end
	sql[#sql + 1] = head
	if self._select then
		local s, a, err = self._select:to_sql()
		if err then
			return nil, nil, err
		end
		sql[#sql + 1] = s
		extend(args, a)
	else
		if not self._rows or #self._rows == 0 then
			return nil, nil, host.invalid("insert statements must have at least one set of values or select clause")
		end
		local rows = {}
		for i, row in ipairs(self._rows) do
			local marks = {}
			for j = 1, #row do
				marks[j] = value_sql(row[j], args)
			end
			rows[i] = "(" .. table.concat(marks, ",") .. ")"
		end
		sql[#sql + 1] = "VALUES " .. table.concat(rows, ",")
	end
	clause(sql, args, "", self._suffixes or {}, " ")
	return finish(self, sql, args)
end

local Update = common({})

function Update:table(table_)
	return clone(self, "_table", table_)
end

function Update:set(column, value)
	return clone(self, "_sets", list(self._sets or {}, { column = column, value = value }))
end

function Update:set_map(map)
	local sets = list(self._sets or {})
	for _, k in ipairs(sorted_keys(map) or {}) do
		sets[#sets + 1] = { column = k, value = map[k] }
	end
	return clone(self, "_sets", sets)
end

function Update:from(table_)
	return clone(self, "_from", table_)
end

function Update:from_select(builder, alias)
	return clone(self, "_from_select", { builder = builder, alias = alias })
end

function Update:to_sql()
	if not self._table or self._table == "" then
		return nil, nil, host.invalid("update statements must specify a table")
	end
	if not self._sets or #self._sets == 0 then
		return nil, nil, host.invalid("update statements must have at least one Set clause")
	end
	local args, sets = {}, {}
	for i, s in ipairs(self._sets) do
		sets[i] = s.column .. " = " .. value_sql(s.value, args)
	end
	local sql = { "UPDATE " .. self._table, "SET " .. table.concat(sets, ", ") }
	if self._from_select then
		local s, a, err = self._from_select.builder:to_sql()
		if err then
			return nil, nil, err
		end
		sql[#sql + 1] = "FROM (" .. s .. ") AS " .. self._from_select.alias
		extend(args, a)
	elseif self._from then
		sql[#sql + 1] = "FROM " .. self._from
	end
	clause(sql, args, "WHERE ", self._where or {}, " AND ")
	tail(self, sql, args)
	return finish(self, sql, args)
end

local Delete = common({})

function Delete:from(table_)
	return clone(self, "_table", table_)
end

function Delete:to_sql()
	if not self._table or self._table == "" then
		return nil, nil, host.invalid("delete statements must specify a table")
	end
	local sql, args = { "DELETE FROM " .. self._table }, {}
	clause(sql, args, "WHERE ", self._where or {}, " AND ")
	tail(self, sql, args)
	return finish(self, sql, args)
end

local builder = {
	question = "question",
	dollar = "dollar",
	at = "at",
	colon = "colon",
	default_placeholder = "question",
}

function builder.select(...)
	return setmetatable({ _columns = { ... } }, Select)
end

function builder.insert(table_)
	return setmetatable({ _table = table_ }, Insert)
end

function builder.update(table_)
	return setmetatable({ _table = table_ }, Update)
end

function builder.delete(table_)
	return setmetatable({ _table = table_ }, Delete)
end

function builder.expr(expr, ...)
	return sqlizer(expr, { ... })
end

builder.eq = compare("=", " IN ", " IS NULL")
builder.not_eq = compare("<>", " NOT IN ", " IS NOT NULL")
builder.lt = compare("<")
builder.lte = compare("<=")
builder.gt = compare(">")
builder.gte = compare(">=")
builder.like = compare("LIKE")
builder.not_like = compare("NOT LIKE")
builder.and_ = junction("AND")
builder.or_ = junction("OR")

-- Shared across every call of a runtime: frozen, so no entry can change them for the next.
for _, class in ipairs({ Sqlizer, Executor, Select, Insert, Update, Delete }) do
	table.freeze(class)
end
return builder
