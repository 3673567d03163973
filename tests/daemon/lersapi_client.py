# SPDX-License-Identifier: LGPL-2.1-or-later
"""A small client of the REST API v1 of ЛЭРС УЧЁТ, written from the shapes
the vendor publishes (github.com/lers-uchet/ImportTemperature,
ImportTemperature/Lers.RestApi.cs: the NSwag client generated from their
swagger.json). It shares no code with lersd: paths, parameter names, member
names and enum strings are theirs, as their C# client sends and reads them.

Every answer is checked against their model: a member their class does not
have, a missing required member ("Required.Always") or an enum string their
enum does not have raises ShapeError, as a strict Newtonsoft reader would.
"""
import json
import urllib.error
import urllib.parse
import urllib.request

# ---- their enums (names only) ------------------------------------------

NODE_TYPE = {"None", "Node", "House", "PowerSource"}
NODE_STATE = {"NoData", "Normal", "Warning", "Error", "None"}
MEASURE_POINT_STATE = NODE_STATE
MEASURE_POINT_TYPE = {"Regular", "Communal"}
SYSTEM_TYPE = {"None", "Heat", "HotWater", "ColdWater", "Steam", "Gas", "Electricity",
               "Sewage", "Control"}
RESOURCE_KIND = {"None", "Water", "Electricity", "Gas"}
DEVICE_DATA_TYPE = {"None", "DeviceConfig", "Events", "Current", "Interval", "Month", "Day",
                    "Hour", "PowerProfile", "Totals"}
DATA_PARAMETER = set("""
T_in T_out T_cw T_outdoor M_in M_out V_in V_out Q_in Q_out Q_delta P_in P_out P_cw
NormalOperationDuration T P V V_std Ap1 An1 Rp1 Rn1 Ap2 An2 Rp2 Rn2 Ap3 An3 Rp3 Rn3 Ap4 An4
Rp4 Rn4 Ap An Rp Rn StopDuration FlowUnderrunDuration FlowOverrunDuration TempDiffLowDuration
NoPowerDuration IncidentDuration SaturatedSteamDuration T_delta P_delta V_delta M_delta M
T_indoor PowerProfile_Pp PowerProfile_Pn PowerProfile_Qp PowerProfile_Qn S SA SB SC
ElectricCurrent_P Pp Pn PA PB PC Q Qp Qn QA QB QC U UA UB UC I IA IB IC PhiUAB PhiUAC PhiUBC
PhiUIA PhiUIB PhiUIC Frequency CosPhi CosPhiA CosPhiB CosPhiC M_balance H T_internal T_control
T_base ValvePercent CorrectionCoeff CalorificValue Humidity AtmospherePressure
CarbonDioxideContent NitrogenContent V_NoCount DensityStd TempOverrunDuration
TempUnderrunDuration PressOverrunDuration PressUnderrunDuration FlowUnderrunThresholdDuration
UnacceptablePhysicalStateDuration""".split())
DATA_PARAMETER_CATEGORY = set("""
None Temperature Pressure Mass Volume Heat Time ActiveElectricalEnergy ReactiveElectricalEnergy
ActiveElectricPower ReactiveElectricPower ApparentElectricPower Voltage ElectricCurrent
PhaseAngle PowerFactor Frequency WaterLevel PressureDrop ValvePercent Coefficient
CalorificValue Humidity CarbonDioxideContent NitrogenContent Density""".split())
UNIT = set("""
None TechnicalAt CelsiusDegree Ton CubicMeter GigaCalorie Kilowatt Hour Day KilowattHour
GigaJoule MegaPascal Pulse Kilogram Watt KiloPascal KilowattHourHeat MegawattHour
KilogramSquareMeter Litre Bar TeraJoule Kiloton KilovarHour WattHour VarHour MegaJoule
MegawattHourHeat WattHourHeat Joule WattHeat KilowattHeat Var Kilovar MegaCalorie KiloCalorie
KiloJoule Kelvin KiloVoltAmper Minute Second VA Volt Amper Degree Herz Meter Ppm Percent
KilogramPerCubicMeter""".split())

# ---- their classes: member → (kind, required) ----------------------------
# kind: "int", "number", "bool", "string", "time", an enum set, a class name,
# or ("list", kind). required: Newtonsoft's Required.Always.

A = True   # Required.Always
D = False  # Default / DisallowNull

CLASSES = {
    "LoginResponseParameters": {"token": ("string", D), "tokenExpiration": ("time", D)},
    "ResponseParameters": {"errorMessage": ("string", D), "errorCode": ("int", D),
                           "data": ("object", D)},
    "GeoLocation": {"latitude": ("number", D), "longitude": ("number", D)},
    "Node": {
        "id": ("int", D), "divisionId": ("int", D), "title": ("string", A),
        "number": ("int", D), "address": ("string", A), "comment": ("string", D),
        "customerId": ("int", D), "responsibleName": ("string", D),
        "responsiblePhone": ("string", D), "servicemanId": ("int", D),
        "serviceCompanyId": ("int", D), "state": (NODE_STATE, D), "territoryId": ("int", D),
        "type": (NODE_TYPE, D), "isCommunalPollEnabled": ("bool", D),
        "coldWaterSummerTemp": ("number", D), "coldWaterWinterTemp": ("number", D),
        "licenseCount": ("int", D), "isHeatingSeason": ("bool", D),
        "geoLocation": ("GeoLocation", D), "norms": ("object", D), "attributes": ("array", D),
        "powerSources": ("array", D)},
    "MeasurePoint": {
        "id": ("int", D), "title": ("string", A), "fullTitle": ("string", A),
        "parentTitle": ("string", D), "address": ("string", D),
        "type": (MEASURE_POINT_TYPE, D), "orderNumber": ("int", D),
        "systemType": (SYSTEM_TYPE, D), "nodeId": ("int", D), "roomId": ("int", D),
        "serviceNumber": ("int", D), "isDoublePipeHotWaterSystem": ("bool", D),
        "isTwoChannels": ("bool", D), "resourceKind": (RESOURCE_KIND, D),
        "deviceId": ("int", D), "counterId": ("int", D), "commLinkType": ("string", D),
        "comment": ("string", D), "selectedParamsList": ("array", D),
        "contractHeat": ("number", D), "contractFlow": ("number", D),
        "contractPin": ("number", D), "contractPout": ("number", D),
        "contractTin": ("number", D), "contractTout": ("number", D),
        "currentRatio": ("number", D), "voltageRatio": ("number", D),
        "state": (MEASURE_POINT_STATE, D), "showCalculatedData": ("bool", D),
        "showBadValues": ("bool", D), "calcAndStorage": ("object", D),
        "reportingHour": ("int", D), "reportingDay": ("int", D),
        "reportingHourMode": ("string", D), "isReversibleFlow": ("bool", D),
        "isVirtual": ("bool", D), "attributes": ("array", D), "device": ("Equipment", D),
        "deviceEquipmentModel": ("EquipmentModel", D), "diagDataTypes": ("string", D),
        "admissionDate": ("time", D), "servicingStatusId": ("int", D),
        "measuredParameterUnitCollection": ("object", D), "customerId": ("int", D)},
    "Equipment": {
        "id": ("int", D), "equipmentModelId": ("int", D), "serialNumber": ("string", D),
        "sealNumber": ("string", D), "lastCalibrationDate": ("time", D),
        "scheduledCalibrationDate": ("time", D), "calibrationResultId": ("string", D),
        "calibrationOrganization": ("string", D), "calibrationResult": ("int", D),
        "calibrationSyncDate": ("time", D), "equipmentModificationId": ("int", D),
        "password": ("string", D), "secondLevelPassword": ("string", D),
        "comment": ("string", D), "networkAddress": ("string", D),
        "pollSettings": ("object", D), "modem": ("object", D),
        "lastReadParameters": ("object", D), "isShared": ("bool", D),
        "divisionId": ("int", D)},
    "EquipmentModel": {"id": ("int", D), "isSystem": ("bool", D), "title": ("string", A),
                       "reportTitle": ("string", D), "longTitle": ("string", D),
                       "comment": ("string", D)},
    "GetNodeListResponseParameters": {
        "nodes": (("list", "Node"), D), "measurePoints": (("list", "MeasurePoint"), D),
        "servicemen": ("array", D), "serviceCompanies": ("array", D),
        "customers": ("array", D), "suppliers": ("array", D), "nodeSuppliers": ("array", D),
        "signaling": ("array", D), "territories": ("array", D)},
    "GetMeasurePointListResponseParameters": {
        "measurePoints": (("list", "MeasurePoint"), D), "lastConsumption": ("array", D),
        "equipment": (("list", "Equipment"), D),
        "equipmentModels": (("list", "EquipmentModel"), D), "customers": ("array", D)},
    "GetMeasurePointResponseParameters": {
        "measurePoint": ("MeasurePoint", D), "node": ("Node", D), "counter": ("Equipment", D),
        "counterModel": ("EquipmentModel", D), "channels": ("array", D),
        "isHeatingSeason": ("bool", D)},
    "GetEquipmentListResponseParameters": {
        "list": (("list", "Equipment"), D), "modelList": (("list", "EquipmentModel"), D),
        "nodes": (("list", "Node"), D), "nodeEquipment": ("array", D)},
    "GetEquipmentResponseParameters": {
        "equipment": ("Equipment", D), "model": ("EquipmentModel", D),
        "channelBind": ("array", D), "cellBind": ("array", D), "addressBind": ("array", D),
        "measurePoints": (("list", "MeasurePoint"), D), "nodes": (("list", "Node"), D),
        "modbusBindings": ("array", D)},
    "DataParameterValue": {
        "dataParameter": (DATA_PARAMETER, D), "value": ("number", D), "isBad": ("bool", D),
        "isCalc": ("bool", D), "isInterpolated": ("bool", D), "isReset": ("bool", D)},
    "DataParametersUnitPair": {"dataParameterCategory": (DATA_PARAMETER_CATEGORY, D),
                               "unit": (UNIT, D)},
    "MeasurePointDataConsumptionRecord": {
        "resourceKind": (RESOURCE_KIND, D), "isEmpty": ("bool", D), "dateTime": ("time", D),
        "attributes": ("array", D), "values": (("list", "DataParameterValue"), D)},
    "GetMeasurePointConsumptionResponse": {
        "pressureType": ("string", D),
        "monthConsumption": (("list", "MeasurePointDataConsumptionRecord"), D),
        "dayConsumption": (("list", "MeasurePointDataConsumptionRecord"), D),
        "hourConsumption": (("list", "MeasurePointDataConsumptionRecord"), D),
        "currentConsumption": (("list", "MeasurePointDataConsumptionRecord"), D),
        "dataParametersUnit": (("list", "DataParametersUnitPair"), D),
        "summary": ("object", D)},
    "GetMeasurePointTotalsResponse": {
        "totals": (("list", "MeasurePointDataConsumptionRecord"), D),
        "dataParametersUnit": (("list", "DataParametersUnitPair"), D)},
    "MeasurePointLastConsumption": {
        "dataType": (DEVICE_DATA_TYPE, D), "dateTime": ("time", D), "attributes": ("array", D),
        "values": (("list", "DataParameterValue"), D)},
    "MeasurePointLastTotals": {
        "dateTime": ("time", D), "attributes": ("array", D),
        "values": (("list", "DataParameterValue"), D)},
    "ServerInfo": {"type": ("string", D), "build": ("int", D), "version": ("string", D),
                   "fullVersion": ("string", D), "serverTime": ("time", D),
                   "osDescription": ("string", D)},
}

# Members lersd adds beside theirs (documented in docs/api-compat.md);
# a reader that ignores unknown members, as Newtonsoft does by default,
# does not see them.
EXTENSIONS = {"ServerInfo": {"timeZone"}}


class ShapeError(AssertionError):
    pass


class LersException(Exception):
    """Like their LersException: the status and, for their error shape, the
    parsed ResponseParameters."""

    def __init__(self, status, text, headers):
        super().__init__("HTTP %d: %s" % (status, text))
        self.status = status
        self.text = text
        self.headers = headers
        try:
            self.result = json.loads(text)
        except ValueError:
            self.result = None


def _check_value(kind, value, where):
    if value is None:
        return
    if isinstance(kind, set):
        if value not in kind:
            raise ShapeError("%s: %r is not one of their enum" % (where, value))
    elif isinstance(kind, tuple):
        if not isinstance(value, list):
            raise ShapeError("%s: not an array" % where)
        for i, item in enumerate(value):
            _check_value(kind[1], item, "%s[%d]" % (where, i))
    elif kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ShapeError("%s: %r is not an integer" % (where, value))
    elif kind == "number":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ShapeError("%s: %r is not a number" % (where, value))
    elif kind == "bool":
        if not isinstance(value, bool):
            raise ShapeError("%s: %r is not a boolean" % (where, value))
    elif kind == "string":
        if not isinstance(value, str):
            raise ShapeError("%s: %r is not a string" % (where, value))
    elif kind == "time":
        # DateTimeOffset: ISO 8601 with an offset
        if not isinstance(value, str) or not (value.endswith("Z") or value[-6] in "+-"):
            raise ShapeError("%s: %r is not a time with an offset" % (where, value))
    elif kind == "array":
        if not isinstance(value, list):
            raise ShapeError("%s: not an array" % where)
    elif kind == "object":
        if not isinstance(value, dict):
            raise ShapeError("%s: not an object" % where)
    else:
        check(kind, value, where)


def check(cls, value, where=None):
    """Checks @value against their class @cls; returns it."""
    where = where or cls
    members = CLASSES[cls]
    if not isinstance(value, dict):
        raise ShapeError("%s: not an object" % where)
    for name in value:
        if name not in members and name not in EXTENSIONS.get(cls, ()):
            raise ShapeError("%s: member %r is not in their %s" % (where, name, cls))
    for name, (kind, required) in members.items():
        if name not in value:
            if required:
                raise ShapeError("%s: required member %r is missing" % (where, name))
            continue
        if required and value[name] is None:
            raise ShapeError("%s: required member %r is null" % (where, name))
        _check_value(kind, value[name], "%s.%s" % (where, name))
    return value


def format_s(dt):
    """A date in the path as their client writes it: .NET's "s" format."""
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


class LersApiClient:
    """The operations of their LoginClient, NodesClient, MeasurePointsClient,
    EquipmentClient, MeasurePointConsumptionClient, MeasurePointTotalsClient,
    MeasurePointLastDataClient, MeasurePointDataClient, IncidentsClient and
    ServerInfoClient that lersd serves."""

    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")
        self.token = None

    def _send(self, method, path, query=None, body=None):
        url = self.base_url + path
        if query:
            pairs = []
            for key, value in query:
                if value is None:
                    continue
                if isinstance(value, bool):
                    value = "true" if value else "false"
                pairs.append((key, str(value)))
            if pairs:
                url += "?" + urllib.parse.urlencode(pairs)
        data = None
        headers = {"Accept": "text/plain"}
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json-patch+json"
        if self.token is not None:
            headers["Authorization"] = "Bearer " + self.token
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read().decode())
        except urllib.error.HTTPError as e:
            raise LersException(e.code, e.read().decode(), dict(e.headers)) from None

    # LoginClient.LoginPlainAsync: POST /api/v1/Login
    def login_plain(self, login, password, application):
        result = check("LoginResponseParameters", self._send(
            "POST", "/api/v1/Login",
            body={"login": login, "password": password, "application": application}))
        self.token = result["token"]
        return result

    # NodesClient.GetNodesAsync: GET /api/v1/Core/Nodes
    def get_nodes(self, get_measure_points=None, node_type=None):
        return check("GetNodeListResponseParameters", self._send(
            "GET", "/api/v1/Core/Nodes",
            [("getMeasurePoints", get_measure_points), ("nodeType", node_type)]))

    # GET /api/v1/Core/Nodes/{id} (a Node)
    def get_node(self, node_id):
        return check("Node", self._send("GET", "/api/v1/Core/Nodes/%d" % node_id))

    # NodesClient.GetNodeMeasurePointsAsync
    def get_node_measure_points(self, node_id, get_equipment=None):
        return check("GetMeasurePointListResponseParameters", self._send(
            "GET", "/api/v1/Core/Nodes/%d/MeasurePoints" % node_id,
            [("getEquipment", get_equipment)]))

    # MeasurePointsClient.GetMeasurePointsAsync
    def get_measure_points(self, get_equipment=None, type=None):
        return check("GetMeasurePointListResponseParameters", self._send(
            "GET", "/api/v1/Core/MeasurePoints",
            [("getEquipment", get_equipment), ("type", type)]))

    # MeasurePointsClient.GetByIdAsync
    def get_measure_point(self, point_id, get_device=None):
        return check("GetMeasurePointResponseParameters", self._send(
            "GET", "/api/v1/Core/MeasurePoints/%d" % point_id, [("getDevice", get_device)]))

    # EquipmentClient.GetEquipmentListAsync
    def get_equipment_list(self, ids=()):
        return check("GetEquipmentListResponseParameters", self._send(
            "GET", "/api/v1/Core/Equipment", [("id", i) for i in ids]))

    # EquipmentClient.GetEquipmentAsync
    def get_equipment(self, equipment_id):
        return check("GetEquipmentResponseParameters", self._send(
            "GET", "/api/v1/Core/Equipment/%d" % equipment_id))

    # MeasurePointConsumptionClient.GetConsumptionAsync
    def get_consumption(self, point_id, start, end, data_types=()):
        return check("GetMeasurePointConsumptionResponse", self._send(
            "GET", "/api/v1/Data/MeasurePoints/%d/Consumption/%s/%s" % (
                point_id, urllib.parse.quote(format_s(start), safe=""),
                urllib.parse.quote(format_s(end), safe="")),
            [("dataTypes", t) for t in data_types]))

    # MeasurePointTotalsClient.GetTotalsAsync
    def get_totals(self, point_id, start, end):
        return check("GetMeasurePointTotalsResponse", self._send(
            "GET", "/api/v1/Data/MeasurePoints/%d/Totals/%s/%s" % (
                point_id, urllib.parse.quote(format_s(start), safe=""),
                urllib.parse.quote(format_s(end), safe=""))))

    # MeasurePointLastDataClient.GetMeasurePointLastConsumptionAsync
    def get_last_consumption(self, point_id):
        return check("MeasurePointLastConsumption", self._send(
            "GET", "/api/v1/Data/MeasurePoints/%d/Consumption/Last" % point_id))

    # MeasurePointLastDataClient.GetMeasurePointLastTotalsAsync
    def get_last_totals(self, point_id):
        return check("MeasurePointLastTotals", self._send(
            "GET", "/api/v1/Data/MeasurePoints/%d/Totals/Last" % point_id))

    # MeasurePointDataClient.SaveDataAsync (SaveDataRequestParams)
    def save_data(self, point_id, consumption=None, totals=None, overwrite_existing=None):
        return self._send("PUT", "/api/v1/Data/MeasurePoints/%d" % point_id,
                          [("overwriteExisting", overwrite_existing)],
                          body={"consumption": consumption, "totals": totals or []})

    # GET /api/v1/Incidents: ICollection<Incident>
    def get_incidents(self):
        result = self._send("GET", "/api/v1/Incidents")
        if not isinstance(result, list):
            raise ShapeError("Incidents: not an array")
        return result

    # ServerInfoClient.GetVersionAsync
    def get_server_info(self):
        return check("ServerInfo", self._send("GET", "/api/v1/ServerInfo"))
